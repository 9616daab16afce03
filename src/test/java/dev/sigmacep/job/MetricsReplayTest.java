package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.PrometheusScrape;
import dev.sigmacep.testing.Replays;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sigmacep.testing.FlatSysmon.T0;
import static dev.sigmacep.testing.FlatSysmon.connection;
import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's metrics as Prometheus scrapes them (the names docs/operations.md lists), with exact values for known input:
 * records in per format, dead letters, late events, matches and alerts per rule, and the event-time lag of each source
 * subtask.
 */
class MetricsReplayTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String OPERATOR = "flink_taskmanager_job_task_operator_";
    private static final String SEED_RULE = "396f6630-f3ac-44e3-bfc8-1b161bc00c4e";
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";

    private static RuleSet rules;

    @BeforeAll
    static void loadRules() throws Exception {
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
    }

    @Test
    void theSampleCountedPerFormatAndRule() throws Exception {
        Set<String> earlier = PrometheusScrape.jobIds(REPORTER);
        List<Path> files = InputFiles.expand(List.of(Path.of("samples/wer-chain")));
        Replays.batch(JobSettings.builder().parallelism(2).build(), rules)
                .run(files, Lines.into(new ArrayList<>()), Lines.into(new ArrayList<>()));
        long before = System.currentTimeMillis();
        PrometheusScrape scrape = PrometheusScrape.of(REPORTER, earlier);
        long after = System.currentTimeMillis();

        assertThat(scrape.sum(OPERATOR + "events_sysmon_flat")).isEqualTo(54);
        assertThat(scrape.sum(OPERATOR + "events_evtx_dump")).isEqualTo(15);
        assertThat(scrape.sum(OPERATOR + "events_winlogbeat")).isEqualTo(15);
        assertThat(scrape.sum(OPERATOR + "events_ecs")).isEqualTo(15);
        assertThat(scrape.sum(OPERATOR + "records_dead_lettered")).isEqualTo(2);
        assertThat(scrape.sum(OPERATOR + "correlate_late_events")).isZero(); // BATCH: nothing is late
        assertThat(scrape.sumBy(OPERATOR + "rule_alerts", "rule")).isEqualTo(Map.of(
                SEED_RULE, 2L, "wer_noargs_start", 4L, "wer_outbound_connection", 5L, "wer_child_shell", 4L,
                "wer_masquerade_netconn", 2L, "wer_masquerade_chain", 3L));
        assertThat(scrape.sumBy(OPERATOR + "rule_matches", "rule")).isEqualTo(Map.of(
                SEED_RULE, 2L, "wer_noargs_start", 4L, "wer_outbound_connection", 5L, "wer_child_shell", 4L));
        // the 13 matching events feed the chain correlations' shared operator; the records of the 10 read from the
        // JSON Lines files cross as positions and are read back there (evtx-dump.json's 3, read whole, cross themselves)
        assertThat(scrape.sum(OPERATOR + "correlate_records_read_back")).isEqualTo(10);

        // the subtask that read the sample's newest event lags by the time since then, another by more (a subtask that
        // was given no file has seen no event and has no value)
        long newest = newestEventMillis(files);
        List<Double> lags = scrape.samples(OPERATOR + "event_time_lag_ms").stream()
                .map(PrometheusScrape.Sample::value).toList();
        assertThat(lags).hasSizeBetween(1, 2);
        assertThat(lags.stream().mapToDouble(Double::doubleValue).min().orElseThrow())
                .isBetween((double) before - newest, (double) after - newest);
    }

    @Test
    void lateEventsCountedOncePerCorrelationThatMissedThem(@TempDir Path dir) throws Exception {
        List<String> records = List.of(
                processStart("H1", T0, "{g1}", WERMGR, WERMGR, "{p}", "C:\\loader.exe"),
                connection("H1", T0.plusSeconds(10), "{g1}", WERMGR, "203.0.113.9"),
                // moves the watermark to T0+8m
                processStart("H2", T0.plus(Duration.ofMinutes(10)), "{g2}", "C:\\Windows\\notepad.exe", "notepad", "{p}", "C:\\explorer.exe"),
                // both late for the correlations that use them (netconn and chain; the start also for wer_child_shell_callback):
                // 5 late events
                processStart("H3", T0.plusSeconds(60), "{g3}", WERMGR, WERMGR, "{p}", "C:\\loader.exe"),
                connection("H3", T0.plusSeconds(70), "{g3}", WERMGR, "203.0.113.10"));
        Path file = dir.resolve("late.ndjson");
        Files.write(file, records);
        Set<String> earlier = PrometheusScrape.jobIds(REPORTER);
        Replays.inMode(JobSettings.builder().parallelism(1).build(), rules, RuntimeExecutionMode.STREAMING)
                .run(List.of(file), Lines.into(new ArrayList<>()), Lines.into(new ArrayList<>()));
        long before = System.currentTimeMillis();
        PrometheusScrape scrape = PrometheusScrape.of(REPORTER, earlier);
        long after = System.currentTimeMillis();

        assertThat(scrape.sum(OPERATOR + "events_sysmon_flat")).isEqualTo(5);
        assertThat(scrape.sum(OPERATOR + "records_dead_lettered")).isZero();
        assertThat(scrape.sum(OPERATOR + "correlate_late_events")).isEqualTo(5);
        assertThat(scrape.sum(OPERATOR + "correlate_records_read_back")).isZero(); // STREAMING carries records
        assertThat(scrape.sumBy(OPERATOR + "rule_matches", "rule"))
                .isEqualTo(Map.of("wer_noargs_start", 2L, "wer_outbound_connection", 2L));
        assertThat(scrape.sumBy(OPERATOR + "rule_alerts", "rule"))
                .isEqualTo(Map.of("wer_noargs_start", 2L, "wer_outbound_connection", 2L, "wer_masquerade_netconn", 1L));
        long newest = T0.plus(Duration.ofMinutes(10)).toEpochMilli(); // the late events do not move it back
        assertThat(scrape.samples(OPERATOR + "event_time_lag_ms")).singleElement()
                .satisfies(lag -> assertThat(lag.value()).isBetween((double) before - newest, (double) after - newest));
    }

    private static long newestEventMillis(List<Path> files) throws Exception {
        long[] newest = {Long.MIN_VALUE};
        for (Path file : files) {
            TelemetryStreams.decode(file, JobSettings.defaults().input().maxRecordChars(), (DecodeResult record) -> {
                if (record.event() != null) {
                    newest[0] = Math.max(newest[0], record.event().timeMillis());
                }
            });
        }
        return newest[0];
    }
}
