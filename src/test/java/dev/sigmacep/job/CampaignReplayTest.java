package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.OutputDigest;
import dev.sigmacep.testing.Replays;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every real campaign of the shared telemetry (7 LSASS campaign zips and the Empire Winlogbeat set) through the
 * project's rules plus the whole SigmaHQ rules/windows pack: no dead letters, and no flagship correlation fires
 * (no WER process in that data starts without arguments and connects out).
 */
@Tag("slow")
class CampaignReplayTest {
    static final String DIGEST_BEFORE_OPTIMISATIONS = "9b91897956d2f3f15fa2d944f6f146fb084e876567cbf4a8b442b9eea8ac1ea3";

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void fullCampaignsReplayCleanly() throws Exception {
        Path shared = Path.of(System.getProperty("sigmacep.shared", "../shared"));
        Path telemetry = shared.resolve("data/telemetry/security-datasets");
        assumeTrue(Files.isDirectory(telemetry), "../shared not found: campaign replay skipped");

        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"), shared.resolve("data/sigma/rules/windows"))),
                MatchContext.empty());
        // the only rejection: SigmaHQ's copy of 396f6630, which rules/sigmahq already holds
        assertThat(rules.model().errors()).extracting(RuleError::reason)
                .containsExactly("duplicate id '396f6630-f3ac-44e3-bfc8-1b161bc00c4e', already used in rules/sigmahq/proc_creation_win_wermgr_susp_child_process.yml");

        List<Path> files = InputFiles.expand(List.of(telemetry.resolve("archives"), telemetry.resolve("full")));
        assertThat(files).hasSize(8);
        JobSettings settings = JobSettings.builder().parallelism(2).build();
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        Replay.Result result = Replays.batch(settings, rules).run(files, Lines.into(alerts), Lines.into(deadLetters));
        List<String> flagshipCorrelations = alerts.stream()
                .filter(alert -> alert.contains("\"rule_name\":\"wer_masquerade_")).toList();

        System.out.printf("campaigns: %,d records, %s, %,d dead letters, %,d alerts in %s%n%s%n", result.recordsRead(),
                result.eventsByFormat(), result.deadLetters(), result.alerts(), result.wallTime(), result.alertsByRule());
        assertThat(deadLetters).isEmpty();
        assertThat(result.events()).isEqualTo(result.recordsRead());
        assertThat(result.eventsByFormat()).containsOnlyKeys("sysmon-flat", "winlogbeat");
        assertThat(flagshipCorrelations).isEmpty();
        assertThat(result.alertsByRule()).doesNotContainKeys("wer_masquerade_netconn", "wer_masquerade_chain",
                "wer_noargs_start");
        assertThat((long) alerts.size()).isEqualTo(result.alerts()).isEqualTo(1257);
        assertThat(result.alertsByRule()).isNotEqualTo(Map.of());
        // the whole output, byte for byte, as the job gave it before the serialization work (af419b0)
        assertThat(OutputDigest.of(OutputDigest.withoutCorrelationType(alerts), deadLetters))
                .isEqualTo(DIGEST_BEFORE_OPTIMISATIONS);
    }
}
