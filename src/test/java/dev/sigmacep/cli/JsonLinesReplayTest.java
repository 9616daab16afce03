package dev.sigmacep.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigmacep.testing.ConsoleCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.sigmacep.testing.FlatSysmon.T0;
import static dev.sigmacep.testing.FlatSysmon.connection;
import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replay} over JSON Lines with 3,000 undecodable lines among good ones, plain, gzipped and zipped: every
 * non-blank line is one record, each bad line is its own dead letter with a stable reason, and {@code records read}
 * is the number of non-blank lines. Unterminated objects are among them: they must not swallow the lines after them.
 */
class JsonLinesReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";

    /** Each kind of bad line, and the reason its dead letter must give. */
    private static final Map<String, String> BAD_LINES = Map.of(
            "{\"EventID\":1,\"Hostname\":\"H1\",\"UtcTime\":",
            "not JSON: Unexpected end-of-input within/between Object entries",
            "{\"EventID\":1,\"Hostname\":\"H1\",\"Image\":\"C:\\\\Windows",
            "not JSON: Unexpected end-of-input in VALUE_STRING",
            "garbage that is not JSON",
            "not JSON: Unrecognized token 'garbage': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
            "} a closing brace first",
            "not JSON: Unexpected close marker '}': no open Object to close",
            "[1,2",
            // Jackson adds where the array started ("start marker at [Source: ...; column: 1]"): left out, so that
            // one kind of line gives one reason wherever its array starts
            "not JSON: Unexpected end-of-input: expected close marker for Array",
            "Record 12",
            "not JSON: Unrecognized token 'Record': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");

    private static List<String> goodRecords() {
        return List.of(
                processStart("H1", T0, "{g1}", WERMGR, "\"" + WERMGR + "\"", "{p}", "C:\\loader.exe"),
                connection("H1", T0.plusSeconds(20), "{g1}", WERMGR, "203.0.113.50"),
                processStart("H1", T0.plus(Duration.ofMinutes(5)), "{c1}", "C:\\Windows\\System32\\cmd.exe", "cmd",
                        "{g1}", WERMGR));
    }

    /** 3,000 bad lines (500 of each kind), the three good records among them, and blank lines, which are not records. */
    private static String text() {
        List<String> bad = new ArrayList<>(new TreeMap<>(BAD_LINES).keySet());
        List<String> good = goodRecords();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append(bad.get(i % bad.size())).append(i % 7 == 0 ? "\r\n" : "\n");
            if (i % 1000 == 500) text.append(good.get(i / 1000)).append('\n');
            if (i % 300 == 0) text.append("\n  \t\n");
        }
        return text.toString();
    }

    @Test
    void everyLineIsOneRecordPlainGzippedAndZipped(@TempDir Path dir) throws IOException {
        byte[] text = text().getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("plain.ndjson"), text);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("packed.jsonl.gz")))) {
            out.write(text);
        }
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve("archive.zip")))) {
            zip.putNextEntry(new ZipEntry("inner/lines.ndjson"));
            zip.write(text);
            zip.closeEntry();
        }
        for (String name : List.of("plain.ndjson", "packed.jsonl.gz", "archive.zip")) {
            Path deadLetters = dir.resolve(name + ".dead");
            Path alerts = dir.resolve(name + ".alerts");
            ConsoleCapture.Captured<Integer> run = ConsoleCapture.of(() -> Main.commandLine().execute("replay",
                    "--input", dir.resolve(name).toString(), "--output", alerts.toString(),
                    "--dead-letter", deadLetters.toString(), "--parallelism", "2"));

            assertThat(run.result()).as(run.err()).isZero();
            assertThat(run.err()).as(name).containsPattern("records read\\s+3,003\n")
                    .containsPattern("events decoded\\s+3\n").containsPattern("dead-lettered\\s+3,000\n");
            Map<String, Integer> reasons = new TreeMap<>();
            for (String line : Files.readAllLines(deadLetters)) {
                reasons.merge(JSON.readTree(line).get("reason").asText(), 1, Integer::sum);
            }
            Map<String, Integer> expected = new TreeMap<>();
            BAD_LINES.values().forEach(reason -> expected.merge(reason, 500, Integer::sum));
            assertThat(reasons).as(name).isEqualTo(expected);
            assertThat(Files.readAllLines(alerts)).as(name).hasSize(6); // the chain's, as without the bad lines
        }
    }

    @Test
    void aPrettyPrintedJsonFileStillHoldsRecordsOverManyLines(@TempDir Path dir) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String record : goodRecords()) {
            text.append(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(record))).append('\n');
        }
        Files.writeString(dir.resolve("pretty.json"), text);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve("pretty.zip")))) {
            zip.putNextEntry(new ZipEntry("pretty.json"));
            zip.write(text.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        for (String name : List.of("pretty.json", "pretty.zip")) {
            ConsoleCapture.Captured<Integer> run = ConsoleCapture.of(() -> Main.commandLine().execute("replay",
                    "--input", dir.resolve(name).toString(), "--output", dir.resolve(name + ".alerts").toString()));
            assertThat(run.result()).as(run.err()).isZero();
            assertThat(text.toString().lines().count()).isGreaterThan(30);
            assertThat(run.err()).as(name).containsPattern("records read\\s+3\n").containsPattern("events decoded\\s+3\n")
                    .containsPattern("dead-lettered\\s+0\n");
            assertThat(Files.readAllLines(dir.resolve(name + ".alerts"))).as(name).hasSize(6);
        }
    }
}
