package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.generate.TelemetryGenerator;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.GeneratedFiles;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.Replays;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay's file splits go out in the order they were listed, and so a STREAMING replay of a large time-ordered
 * file, read in several byte ranges, finds every correlation BATCH finds, with no event late.
 */
class InOrderSplitAssignerTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static FileSourceSplit split(String id, String file, long offset) {
        return new FileSourceSplit(id, new Path("/data/" + file), offset, 10, 0, 30);
    }

    @Test
    void handsSplitsOutInTheirOrderAndTakesFailedOnesBackFirst() {
        List<FileSourceSplit> splits = List.of(split("1", "b.ndjson", 0), split("2", "b.ndjson", 10),
                split("3", "b.ndjson", 20), split("4", "a.ndjson", 0));
        InOrderSplitAssigner assigner = new InOrderSplitAssigner(splits);
        assertThat(assigner.getNext(null)).contains(splits.get(0));
        assertThat(assigner.getNext("host-1")).contains(splits.get(1));
        assigner.addSplits(List.of(splits.get(0), splits.get(1))); // a reader failed: its splits come back
        assertThat(assigner.remainingSplits()).containsExactlyElementsOf(splits);
        List<FileSourceSplit> handedOut = new ArrayList<>();
        for (Optional<FileSourceSplit> next = assigner.getNext(null); next.isPresent(); next = assigner.getNext(null)) {
            handedOut.add(next.get());
        }
        assertThat(handedOut).containsExactlyElementsOf(splits);
        assertThat(assigner.remainingSplits()).isEmpty();
    }

    @Test
    void aStreamingReplayOfALargeOrderedFileHasNothingLate(@TempDir java.nio.file.Path dir) throws Exception {
        // ~1.9 KB records: about 45 MB, two byte ranges
        TelemetryGenerator generator = new TelemetryGenerator(new TelemetryGenerator.Settings(5_000, 24_000, 0.1,
                Duration.ZERO, 5, Instant.parse("2024-03-12T00:00:00Z"), Duration.ofHours(1)));
        java.nio.file.Path file = GeneratedFiles.jsonLines(generator, dir.resolve("fleet.ndjson"));
        assertThat(Files.size(file)).isGreaterThan(ByteRangeEnumerator.RANGE_BYTES);
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(java.nio.file.Path.of("rules"))), MatchContext.empty());
        JobSettings settings = JobSettings.builder().parallelism(1).build(); // one reader reads both ranges

        List<String> streamed = new ArrayList<>();
        List<String> others = new ArrayList<>();
        Replay.Result streaming = Replays.inMode(settings, rules, RuntimeExecutionMode.STREAMING)
                .run(List.of(file), Lines.into(streamed), Lines.into(others));
        List<String> batched = new ArrayList<>();
        Replay.Result batch = Replays.batch(settings, rules).run(List.of(file), Lines.into(batched), Lines.into(others));

        assertThat(streaming.recordsRead()).isEqualTo(24_000);
        assertThat(streaming.lateEvents()).isZero();
        assertThat(others).isEmpty();
        assertThat(batch.lateEvents()).isZero();
        Collections.sort(streamed);
        Collections.sort(batched);
        assertThat(streamed).hasSize(batched.size()).isEqualTo(batched);
        assertThat(streamed).anyMatch(alert -> alert.contains("\"rule_name\":\"wer_masquerade_chain\""));
    }
}
