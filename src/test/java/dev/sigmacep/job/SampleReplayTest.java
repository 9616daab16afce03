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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.sigmacep.testing.AlertCounts.byRuleAndHost;
import static dev.sigmacep.testing.AlertCounts.expectOnEach;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's main command: the bundled sample (all four record shapes) through the project's rules gives
 * exactly the alerts samples/wer-chain/README.md lists, and its two bad records as dead letters.
 */
class SampleReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sampleGivesTheDocumentedAlerts() throws Exception {
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        JobSettings settings = JobSettings.builder().parallelism(2).build();
        Replay.Result result = Replays.batch(settings, rules)
                .run(InputFiles.expand(List.of(Path.of("samples/wer-chain"))), Lines.into(alerts), Lines.into(deadLetters));

        assertThat(result.eventsByFormat()).isEqualTo(Map.of("sysmon-flat", 54L, "evtx-dump", 15L, "winlogbeat", 15L, "ecs", 15L));
        assertThat(result.deadLetters()).isEqualTo(2);
        assertThat(deadLetters).extracting(line -> JSON.readTree(line).get("reason").asText())
                .anySatisfy(reason -> assertThat(reason).startsWith("not JSON"))
                .contains("no event time");

        Map<String, Integer> expected = new TreeMap<>();
        expectOnEach(expected, "396f6630-f3ac-44e3-bfc8-1b161bc00c4e", "WKS-FLAT-01", "WKS-WLB-03");
        expectOnEach(expected, "wer_masquerade_netconn", "WKS-FLAT-01", "WKS-EVTX-02");
        expectOnEach(expected, "wer_masquerade_chain", "WKS-FLAT-01", "WKS-EVTX-02", "WKS-ECS-04");
        expectOnEach(expected, "wer_noargs_start", "WKS-FLAT-01", "WKS-EVTX-02", "WKS-ECS-04", "WKS-FLAT-05");
        expectOnEach(expected, "wer_outbound_connection", "WKS-FLAT-01", "WKS-EVTX-02", "WKS-WLB-03", "WKS-ECS-04", "SRV-FILE-07");
        expectOnEach(expected, "wer_child_shell", "WKS-FLAT-01", "WKS-EVTX-02", "WKS-WLB-03", "WKS-ECS-04");
        assertThat(byRuleAndHost(alerts)).isEqualTo(expected);
    }
}
