package dev.sigmacep.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.Replays;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.sigmacep.testing.FlatSysmon.T0;
import static dev.sigmacep.testing.FlatSysmon.connection;
import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad records among good ones: each becomes a dead letter with its reason, and the good ones still alert. */
class HostileInputReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";

    @Test
    void everyBadRecordIsDeadLetteredWithItsReason(@TempDir Path dir) throws Exception {
        String good1 = processStart("H1", T0, "{g1}", WERMGR, WERMGR, "{p}", "C:\\loader.exe");
        String good2 = connection("H1", T0.plusSeconds(5), "{g1}", WERMGR, "203.0.113.9");
        String huge = processStart("H1", T0, "{g2}", "C:\\a.exe", "a.exe " + "A".repeat(5000), "{p}", "C:\\b.exe");
        String deep = "{\"a\":".repeat(600) + "1" + "}".repeat(600);
        String noHost = good1.replace("\"Hostname\":\"H1\",", "");
        String badTime = good1.replace("2024-03-12 10:00:00.000", "yesterday at noon");
        String wrongType = "{\"EventID\":{\"a\":1},\"Hostname\":\"H1\",\"UtcTime\":\"2024-03-12 10:00:00.000\"}";
        String shape = "{\"hello\":\"world\"}";
        Path file = dir.resolve("mixed.ndjson");
        Files.write(file, List.of(good1, "not json at all", huge, deep, noHost, badTime, wrongType, shape, good2),
                StandardCharsets.UTF_8);
        Files.write(dir.resolve("binary.json"), new byte[]{0, (byte) 0xff, (byte) 0xfe, 10, 0x7b, 0x22});

        JobSettings settings = JobSettings.builder().parallelism(1).maxRecordChars(4000).build();
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        Replay.Result result = Replays.batch(settings, rules)
                .run(InputFiles.expand(List.of(dir)), Lines.into(alerts), Lines.into(deadLetters));

        List<String> reasons = new ArrayList<>();
        for (String line : deadLetters) {
            reasons.add(JSON.readTree(line).get("reason").asText());
        }
        assertThat(result.deadLetters()).isEqualTo(reasons.size());
        assertThat(reasons).containsExactlyInAnyOrder(
                // binary.json, read as UTF-8 bytes: Jackson sees 0x00 0xFF 0xFE as a (broken) token, then a cut name
                "not JSON: Unrecognized token '\u00ff': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                "not JSON: Unexpected end-of-input: was expecting closing '\"' for name",
                "not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                "record too large (" + huge.length() + " bytes > 4000)",
                "nesting too deep",
                "unparseable event time 'yesterday at noon'",
                "field EventID has wrong type (object)",
                // a flat Sysmon record is recognised by its Hostname, so without one it has no known shape
                "unrecognised record shape",
                "unrecognised record shape");
        assertThat(alerts).extracting(a -> JSON.readTree(a).get("rule_name").asText())
                .containsExactlyInAnyOrder("wer_noargs_start", "wer_outbound_connection", "wer_masquerade_netconn");
    }

    @Test
    void aTruncatedArchiveEndsWithADeadLetterAndTheRestStillAlerts(@TempDir Path dir) throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            many.append(processStart("H9", T0.plusSeconds(i), "{n" + i + "}", "C:\\Windows\\notepad.exe", "notepad",
                    "{p}", "C:\\explorer.exe")).append('\n');
        }
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(many.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = gz.toByteArray();
        Files.write(dir.resolve("cut.ndjson.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.write(dir.resolve("good.ndjson"), List.of(
                processStart("H1", T0, "{g1}", WERMGR, WERMGR, "{p}", "C:\\loader.exe"),
                connection("H1", T0.plusSeconds(5), "{g1}", WERMGR, "203.0.113.9")));

        JobSettings settings = JobSettings.builder().parallelism(2).build();
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        Replay.Result result = Replays.batch(settings, rules).run(InputFiles.expand(List.of(dir)), Lines.into(alerts), Lines.into(deadLetters));

        assertThat(deadLetters).hasSize(1);
        assertThat(JSON.readTree(deadLetters.get(0)).get("reason").asText())
                .startsWith("unreadable input: Unexpected end of ZLIB input stream");
        assertThat(result.eventsByFormat().get("sysmon-flat")).isBetween(3L, 2001L);
        assertThat(alerts).extracting(a -> JSON.readTree(a).get("rule_name").asText())
                .containsExactlyInAnyOrder("wer_noargs_start", "wer_outbound_connection", "wer_masquerade_netconn");
    }
}
