package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.Lines;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI replay's cluster, started while the rules load (no test mini cluster here: this is what the CLI does):
 * the job runs on it with the alerts of Flink's own local execution, and a cluster no job ran on stops on close, so
 * a replay whose rules fail to load still lets the JVM exit.
 */
class EmbeddedClusterTest {
    private static final List<Path> SAMPLE = List.of(Path.of("samples/wer-chain/sysmon-flat.ndjson"),
            Path.of("samples/wer-chain/evtx-dump.json"));

    private static List<String> alerts(JobSettings settings, EmbeddedCluster cluster) throws Exception {
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        Replay.Result result = new Replay(settings, rules, RuntimeExecutionMode.BATCH, cluster)
                .run(SAMPLE, Lines.into(alerts), Lines.into(deadLetters));
        assertThat(result.events()).isEqualTo(69);
        assertThat(deadLetters).hasSize(2);
        Collections.sort(alerts);
        return alerts;
    }

    @Test
    void aReplayRunsOnTheClusterStartedBeforeItsRulesLoaded() throws Exception {
        JobSettings settings = JobSettings.builder().parallelism(2).build();
        List<String> early;
        try (EmbeddedCluster cluster = Replay.startCluster(settings)) {
            assertThat(cluster).isNotNull();
            early = alerts(settings, cluster);
        }
        assertThat(early).hasSize(13).isEqualTo(alerts(settings, null));
    }

    @Test
    void aClusterNoJobRanOnStopsOnClose() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (EmbeddedCluster cluster = Replay.startCluster(JobSettings.builder().parallelism(2).build())) {
            assertThat(cluster).isNotNull(); // the rules failed to load: no job
        }
        Set<String> left = Set.of();
        for (int wait = 0; wait < 100; wait++) {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> !before.contains(thread) && !thread.isDaemon() && thread.isAlive())
                    .map(Thread::getName).collect(Collectors.toSet());
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(left).as("threads that would keep the JVM alive").isEmpty();
    }
}
