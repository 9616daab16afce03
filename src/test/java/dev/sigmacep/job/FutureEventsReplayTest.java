package dev.sigmacep.job;

import dev.sigmacep.testing.FlagshipChain;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.sigmacep.testing.FlatSysmon.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record dated year 9999 between two real chains of one partition (one file), streamed on the mini cluster: it is
 * a dead letter and does not move the watermark, so the chain after it still correlates. With the guard out of reach
 * (a bound of millennia) the same input shows the attack it stops; a BATCH replay keeps the record, as history.
 */
class FutureEventsReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final Instant YEAR_9999 = Instant.parse("9999-12-31T23:59:59Z");
    private static final String FORGED = FlagshipChain.start("H-FORGED", YEAR_9999);
    private static final String REASON =
            "event time in the future: 9999-12-31T23:59:59.000Z is more than 1h ahead of the wall clock";

    /** H1's chain, the forged record, then H2's chain ten minutes later, in one partition. */
    private static List<String> input() {
        List<String> records = new ArrayList<>(FlagshipChain.records("H1", T0, T0.plusSeconds(20), T0.plusSeconds(300)));
        records.add(FORGED);
        Instant t2 = T0.plus(Duration.ofMinutes(10));
        records.addAll(FlagshipChain.records("H2", t2, t2.plusSeconds(20), t2.plusSeconds(300)));
        return records;
    }

    @Test
    void aFutureDatedRecordIsADeadLetterAndTheEventsAfterItStillCorrelate(@TempDir Path dir) throws Exception {
        ReplayRun run = ReplayRun.streaming(dir, input());

        Map<String, Integer> expected = new TreeMap<>();
        FlagshipChain.expectAll(expected, "H1");
        FlagshipChain.expectAll(expected, "H2");
        assertThat(run.alerts()).isEqualTo(expected);
        assertThat(run.deadLetters()).containsExactly(REASON);
        assertThat(run.late()).isEmpty();
    }

    /** What the guard prevents: without it, every later event of the partition is late for both correlations. */
    @Test
    void withoutTheGuardTheRecordMakesTheRestOfItsPartitionLate(@TempDir Path dir) throws Exception {
        JobSettings unguarded = JobSettings.builder().parallelism(1).maxFuture(Duration.ofDays(3_000_000)).build();
        ReplayRun run = ReplayRun.of(dir, input(), RuntimeExecutionMode.STREAMING, unguarded);

        Map<String, Integer> expected = new TreeMap<>();
        FlagshipChain.expectAll(expected, "H1");
        FlagshipChain.expectSteps(expected, "H2");
        expected.put("wer_noargs_start@H-FORGED", 1);
        assertThat(run.alerts()).isEqualTo(expected);
        assertThat(run.deadLetters()).isEmpty();
        // H2's start and connection, for both correlations with a connection; its start and shell, for the chains
        // with a shell
        assertThat(run.late()).hasSize(7).allMatch(reason -> reason.contains("is behind the watermark"));
    }

    @Test
    void aBatchReplayKeepsTheRecordAsHistory(@TempDir Path dir) throws Exception {
        ReplayRun run = ReplayRun.of(dir, input(), RuntimeExecutionMode.BATCH, JobSettings.builder().parallelism(1).build());

        Map<String, Integer> expected = new TreeMap<>();
        FlagshipChain.expectAll(expected, "H1");
        FlagshipChain.expectAll(expected, "H2");
        expected.put("wer_noargs_start@H-FORGED", 1);
        assertThat(run.alerts()).isEqualTo(expected);
        assertThat(run.deadLetters()).isEmpty();
        assertThat(run.late()).isEmpty();
    }
}
