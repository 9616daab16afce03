package dev.sigmacep.sigma.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.job.InputFiles;
import dev.sigmacep.job.TelemetryStreams;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RuleLabels;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.SigmaRule;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The per-rule match dump that changes of the Sigma core must leave alone: the project's rules and SigmaHQ's rules,
 * threat-hunting and emerging-threats packs over every event of the shared telemetry, the number of events each
 * rule matches, equal to {@code expected/rule-pack-matches.json} (written by {@code sigma-cep rules test --json}
 * with the code before the typed detection model, 2026-12-02; the project rule shell_outbound_connection, 613 events,
 * added with it later that day).
 */
@Tag("slow")
class RulePackMatchDumpTest {

    @Test
    void everyRuleMatchesTheEventsItMatchedBefore() throws Exception {
        Path shared = Path.of(System.getProperty("sigmacep.shared", "../shared"));
        Path sigma = shared.resolve("data/sigma");
        Path telemetry = shared.resolve("data/telemetry/security-datasets");
        assumeTrue(Files.isDirectory(telemetry) && Files.isDirectory(sigma), "../shared not found: match dump skipped");

        RulePack pack = new RuleLoader(MatchContext.empty()).load(RuleLoader.readSources(List.of(Path.of("rules"),
                sigma.resolve("rules"), sigma.resolve("rules-threat-hunting"), sigma.resolve("rules-emerging-threats"))));
        CompiledRulePack compiled = CompiledRulePack.compile(pack.compiled());
        long[] matches = new long[compiled.size()];
        long[] events = new long[2]; // decoded, dead letters
        for (Path file : InputFiles.expand(List.of(telemetry))) {
            TelemetryStreams.decode(file, EventDecoder.DEFAULT_MAX_RECORD_CHARS, result -> {
                if (result.event() == null) {
                    events[1]++;
                } else {
                    events[0]++;
                    compiled.match(result.event(), rule -> matches[rule]++);
                }
            });
        }
        Map<String, Long> byRule = new TreeMap<>();
        for (int i = 0; i < matches.length; i++) {
            if (matches[i] > 0) {
                SigmaRule rule = pack.rules().get(i);
                byRule.put(RuleLabels.key(rule.id(), rule.name(), rule.path()), matches[i]);
            }
        }

        Map<?, ?> expected;
        try (InputStream in = getClass().getResourceAsStream("/expected/rule-pack-matches.json")) {
            expected = new ObjectMapper().readValue(in, Map.class);
        }
        assertThat(events[0]).isEqualTo(((Number) expected.get("events")).longValue());
        assertThat(events[1]).isEqualTo(((Number) expected.get("dead_letters")).longValue());
        Map<String, Long> expectedMatches = new TreeMap<>();
        ((Map<?, ?>) expected.get("matches")).forEach((rule, count) -> expectedMatches.put((String) rule, ((Number) count).longValue()));
        assertThat(byRule).isEqualTo(expectedMatches);
    }
}
