package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.event.SourceFiles;
import dev.sigmacep.generate.TelemetryGenerator;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JSON Lines file cut into many byte ranges and read by two subtasks gives every line exactly once, each event of an
 * uncompressed file knowing where its record lies there.
 */
class JsonLinesFormatTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void rangesReadInParallelGiveEveryLineOnce(@TempDir Path dir) throws Exception {
        TelemetryGenerator generator = new TelemetryGenerator(new TelemetryGenerator.Settings(50, 600, 0.5,
                Duration.ofSeconds(10), 3, Instant.parse("2024-03-12T00:00:00Z"), Duration.ofMinutes(10)));
        StringBuilder text = new StringBuilder();
        int[] line = {0};
        generator.forEach(record -> {
            text.append(record.json()).append(line[0] % 7 == 0 ? "\r\n" : "\n");
            if (++line[0] % 50 == 0) text.append("{\"broken\": \n\nnot json\n"); // two dead letters, one blank line
        });
        Path file = dir.resolve("fleet.ndjson");
        Files.writeString(file, text, StandardCharsets.UTF_8);

        List<String> expected = new ArrayList<>();
        TelemetryStreams.decode(file, EventDecoder.DEFAULT_MAX_RECORD_CHARS, result -> expected.add(describe(result)));
        assertThat(expected).hasSize(600 + 2 * 12);

        List<String> actual = readInRangesOf4096Bytes(file);
        assertThat(Files.size(file)).isGreaterThan(100 * 4096L); // many ranges
        // and each event knows where its record lies in the file
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected.stream()
                .map(described -> described + (described.startsWith("event ") ? " (placed)" : " (unplaced)")).toList());

        // the same lines gzipped: no event can know a position in the file as stored
        Path gzipped = dir.resolve("fleet.ndjson.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzipped))) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        assertThat(readInRangesOf4096Bytes(gzipped))
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(described -> described + " (unplaced)").toList());
    }

    @Test
    void aCompressedFileIsOneRangeReadToItsEnd(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) text.append("{\"n\":").append(i).append(",\"pad\":\"").append("x".repeat(i % 97)).append("\"}\n");
        Path file = dir.resolve("lines.ndjson.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        List<String> expected = new ArrayList<>();
        TelemetryStreams.decode(file, EventDecoder.DEFAULT_MAX_RECORD_CHARS, result -> expected.add(describe(result)));
        assertThat(expected).hasSize(20_000);

        List<String> actual = readInRangesOf4096Bytes(file);
        assertThat(Files.size(file)).isGreaterThan(4096L);
        // a record of a compressed file cannot be read back by its offset: no event of it knows one
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected.stream().map(line -> line + " (unplaced)").toList());
    }

    /**
     * The file as a replay reads it (JsonLinesFormat, events told their records' positions) in 4 KB ranges, two
     * subtasks, BATCH; each result described, and whether its event knows the position of its record's bytes.
     */
    private static List<String> readInRangesOf4096Bytes(Path file) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        SigmaCepJob.configure(env);
        FileSource<DecodeResult> source = FileSource
                .forBulkFileFormat(
                        new PositionedJsonLinesFormat(
                                new JsonLinesFormat(EventDecoder.DEFAULT_MAX_RECORD_CHARS, FutureEvents.NONE), true),
                        new org.apache.flink.core.fs.Path(file.toUri()))
                .setFileEnumerator(() -> new ByteRangeEnumerator(4096))
                .build();
        List<String> actual = new ArrayList<>();
        try (CloseableIterator<String> results = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "ranges").uid("ranges")
                .map(result -> describe(result) + placement(result)).uid("describe")
                .executeAndCollect()) {
            results.forEachRemaining(actual::add);
        }
        return actual;
    }

    private static String placement(DecodeResult result) throws IOException {
        Event event = result.event();
        if (event == null || event.sourceFile() < 0) {
            return " (unplaced)";
        }
        byte[] record = event.rawUtf8();
        byte[] there = new byte[record.length];
        try (RandomAccessFile file = new RandomAccessFile(SourceFiles.path(event.sourceFile()), "r")) {
            file.seek(event.sourceOffset());
            file.readFully(there);
        }
        return Arrays.equals(record, there) ? " (placed)" : " (MISPLACED at " + event.sourceOffset() + ")";
    }

    private static String describe(DecodeResult result) {
        return result.event() != null ? "event " + result.event().raw()
                : "dead " + result.deadLetter().reason() + " " + result.deadLetter().raw();
    }

    @Test
    void anEmptyFileHasNoRanges(@TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.ndjson"));
        List<org.apache.flink.connector.file.src.FileSourceSplit> splits = new ArrayList<>(
                new ByteRangeEnumerator(10).enumerateSplits(new org.apache.flink.core.fs.Path[] {
                        new org.apache.flink.core.fs.Path(empty.toUri())}, 1));
        assertThat(splits).isEmpty();
    }
}
