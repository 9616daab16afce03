package dev.sigmacep.job;

import dev.sigmacep.testing.FlagshipChain;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.sigmacep.testing.FlagshipChain.connect;
import static dev.sigmacep.testing.FlagshipChain.shell;
import static dev.sigmacep.testing.FlagshipChain.start;
import static dev.sigmacep.testing.FlatSysmon.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event-time edges within one partition (one file streamed on the mini cluster, one watermark), with the project's
 * rules and exact expected alerts: hosts with skewed clocks, bursts of one timestamp, the CEP {@code within} boundary
 * and chains whose steps share a timestamp. Skew across partitions and idle partitions are in
 * {@code kafka.EventTimeEdgesKafkaTest}.
 */
class EventTimeEdgesTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    /** Two hosts run their chains at the same real moment, H-BEHIND's clock {@code skew} behind, records interleaved. */
    private static List<String> skewed(Duration skew) {
        Instant ahead = T0.plus(Duration.ofHours(3));
        Instant behind = ahead.minus(skew);
        List<String> records = new ArrayList<>();
        int[] offsets = {0, 20, 300};
        for (int step = 0; step < 3; step++) {
            records.add(step(step, "H-AHEAD", ahead.plusSeconds(offsets[step])));
            records.add(step(step, "H-BEHIND", behind.plusSeconds(offsets[step])));
        }
        return records;
    }

    private static String step(int step, String host, Instant time) {
        return switch (step) {
            case 0 -> start(host, time);
            case 1 -> connect(host, time);
            default -> shell(host, time);
        };
    }

    /** Skew within max-out-of-orderness (2m) costs nothing. */
    @Test
    void clockSkewWithinTheOutOfOrdernessBoundInOnePartition(@TempDir Path dir) throws Exception {
        ReplayRun run = ReplayRun.streaming(dir, skewed(Duration.ofSeconds(90)));

        Map<String, Integer> expected = new TreeMap<>();
        FlagshipChain.expectAll(expected, "H-AHEAD");
        FlagshipChain.expectAll(expected, "H-BEHIND");
        assertThat(run.alerts()).isEqualTo(expected);
        assertThat(run.late()).isEmpty();
    }

    /**
     * A host hours behind another in the same partition: all of its events are behind the watermark the other host's
     * events set, so its correlations are missed (each event reaches the late output once per correlation that
     * needed it) and only its single-event alerts fire. One watermark per partition cannot tell hosts apart; see
     * docs/reliability.md for what to do about it.
     */
    @Test
    void aHostHoursBehindAnotherInOnePartitionIsLate(@TempDir Path dir) throws Exception {
        ReplayRun run = ReplayRun.streaming(dir, skewed(Duration.ofHours(3)));

        Map<String, Integer> expected = new TreeMap<>();
        FlagshipChain.expectAll(expected, "H-AHEAD");
        FlagshipChain.expectSteps(expected, "H-BEHIND");
        assertThat(run.alerts()).isEqualTo(expected);
        assertThat(run.late()).containsExactly(
                "late: event time 2024-03-12T10:00:00.000Z is behind the watermark (more than 120s out of order); not correlated by wer_child_shell_callback",
                "late: event time 2024-03-12T10:00:00.000Z is behind the watermark (more than 120s out of order); not correlated by wer_masquerade_chain",
                "late: event time 2024-03-12T10:00:00.000Z is behind the watermark (more than 120s out of order); not correlated by wer_masquerade_netconn",
                "late: event time 2024-03-12T10:00:20.000Z is behind the watermark (more than 120s out of order); not correlated by wer_masquerade_chain",
                "late: event time 2024-03-12T10:00:20.000Z is behind the watermark (more than 120s out of order); not correlated by wer_masquerade_netconn",
                "late: event time 2024-03-12T10:05:00.000Z is behind the watermark (more than 120s out of order); not correlated by wer_child_shell_callback",
                "late: event time 2024-03-12T10:05:00.000Z is behind the watermark (more than 120s out of order); not correlated by wer_masquerade_chain");
    }

    /**
     * A burst: 300 hosts run the chain with every step of every host at the same millisecond, among 3,000 background
     * events of that same millisecond.
     */
    @Test
    void aBurstOfOneTimestamp(@TempDir Path dir) throws Exception {
        int hosts = 300;
        List<String> records = new ArrayList<>();
        Map<String, Integer> expected = new TreeMap<>();
        int[] offsets = {0, 20, 300};
        for (int step = 0; step < 3; step++) {
            Instant at = T0.plusSeconds(offsets[step]);
            for (int h = 0; h < hosts; h++) {
                records.add(step(step, "H-" + h, at));
                for (int n = 0; n < 10 / 3 + (step == 0 ? 1 : 0); n++) {
                    records.add(FlagshipChain.notepad("H-" + h, at, step * 10 + n));
                }
            }
        }
        for (int h = 0; h < hosts; h++) {
            FlagshipChain.expectAll(expected, "H-" + h);
        }
        assertThat(records).hasSize(hosts * 3 + hosts * 10);

        ReplayRun run = ReplayRun.streaming(dir, records);
        assertThat(run.alerts()).isEqualTo(expected);
        assertThat(run.late()).isEmpty();
        assertThat(run.deadLetters()).isEmpty();
    }

    /**
     * CEP's {@code within}: a step exactly one timespan after the first is outside the match, one millisecond less is
     * inside; for the 1m pair and the 30m chain, streaming and BATCH alike.
     */
    @ParameterizedTest
    @EnumSource(value = RuntimeExecutionMode.class, names = {"STREAMING", "BATCH"})
    void theTimespanBoundary(RuntimeExecutionMode mode, @TempDir Path dir) throws Exception {
        Instant t = T0;
        Duration minute = Duration.ofMinutes(1);
        Duration halfHour = Duration.ofMinutes(30);
        List<String> records = new ArrayList<>();
        // netconn (1m): the connection exactly 1m after the start, and 1ms less
        records.addAll(FlagshipChain.records("H-PAIR-EXACT", t, t.plus(minute), t.plus(Duration.ofMinutes(2))));
        records.addAll(FlagshipChain.records("H-PAIR-LESS", t, t.plus(minute).minusMillis(1), t.plus(Duration.ofMinutes(2))));
        // chain (30m): the shell exactly 30m after the start, and 1ms less
        records.addAll(FlagshipChain.records("H-CHAIN-EXACT", t, t.plusSeconds(20), t.plus(halfHour)));
        records.addAll(FlagshipChain.records("H-CHAIN-LESS", t, t.plusSeconds(20), t.plus(halfHour).minusMillis(1)));
        records = inTimeOrder(records);

        ReplayRun run = ReplayRun.of(dir, records, mode, JobSettings.builder().parallelism(1).build());

        Map<String, Integer> expected = new TreeMap<>();
        FlagshipChain.expectSteps(expected, "H-PAIR-EXACT");
        expected.put("wer_masquerade_chain@H-PAIR-EXACT", 1); // 2m from start to shell: the chain holds
        FlagshipChain.expectAll(expected, "H-PAIR-LESS");
        FlagshipChain.expectSteps(expected, "H-CHAIN-EXACT");
        expected.put("wer_masquerade_netconn@H-CHAIN-EXACT", 1);
        FlagshipChain.expectAll(expected, "H-CHAIN-LESS");
        assertThat(run.alerts()).isEqualTo(expected);
        assertThat(run.late()).isEmpty();
    }

    /**
     * The three steps at one millisecond: the chain fires, whatever order the records arrive in (ties are ordered by
     * the role each event plays in the correlation, not by arrival).
     */
    @ParameterizedTest
    @EnumSource(value = RuntimeExecutionMode.class, names = {"STREAMING", "BATCH"})
    void stepsWithEqualTimestamps(RuntimeExecutionMode mode, @TempDir Path dir) throws Exception {
        List<String> records = new ArrayList<>(FlagshipChain.records("H-TIE", T0, T0, T0));
        List<String> reversed = new ArrayList<>(FlagshipChain.records("H-TIE-REVERSED", T0, T0, T0));
        java.util.Collections.reverse(reversed);
        records.addAll(reversed);

        ReplayRun run = ReplayRun.of(dir, records, mode, JobSettings.builder().parallelism(1).build());

        Map<String, Integer> expected = new TreeMap<>();
        FlagshipChain.expectAll(expected, "H-TIE");
        FlagshipChain.expectAll(expected, "H-TIE-REVERSED");
        assertThat(run.alerts()).isEqualTo(expected);
        assertThat(run.late()).isEmpty();
    }

    /** Records sorted by their event time (UtcTime, fixed width), stable: as a collector would send them. */
    private static List<String> inTimeOrder(List<String> records) {
        List<String> sorted = new ArrayList<>(records);
        sorted.sort(java.util.Comparator.comparing(r -> dev.sigmacep.testing.AlertCounts.parse(r).get("UtcTime").asText()));
        return sorted;
    }
}
