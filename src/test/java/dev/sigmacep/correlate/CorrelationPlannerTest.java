package dev.sigmacep.correlate;

import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.testing.TestEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CorrelationPlannerTest {

    private static final String BASE_RULES = """
            title: a
            id: 00000000-0000-0000-0000-00000000000a
            name: rule_a
            logsource: {product: windows, category: process_creation}
            detection: {sel: {Image|endswith: '\\\\a.exe'}, condition: sel}
            ---
            title: b
            id: 00000000-0000-0000-0000-00000000000b
            name: rule_b
            logsource: {product: windows, category: network_connection}
            detection: {sel: {Image|endswith: '\\\\b.exe'}, condition: sel}
            """;

    private static CorrelationPlanner.Result plan(String correlation) {
        RulePack pack = new RuleLoader(MatchContext.empty()).load(List.of(
                new RuleSource("base.yml", BASE_RULES), new RuleSource("corr.yml", correlation)));
        assertThat(pack.errors()).isEmpty();
        return new CorrelationPlanner(pack.rules(), pack.correlations()).plan(pack.correlations());
    }

    private static String correlation(String type, String extra) {
        return """
                title: c
                id: 00000000-0000-0000-0000-0000000000cc
                name: corr
                correlation:
                    type: %s
                    rules: [rule_a, rule_b]
                    group-by: [Computer]
                    timespan: 5m
                %s""".formatted(type, extra);
    }

    @Test
    void flagshipChainResolvesAliasesPerRole() throws Exception {
        List<RuleSource> sources = RuleLoader.readSources(List.of(Path.of("rules")));
        RulePack pack = new RuleLoader(MatchContext.empty()).load(sources);
        assertThat(pack.errors()).isEmpty();
        CorrelationPlanner.Result result = new CorrelationPlanner(pack.rules(), pack.correlations()).plan(pack.correlations());

        assertThat(result.errors()).isEmpty();
        CorrelationPlan chain = result.plans().stream().filter(p -> "wer_masquerade_chain".equals(p.rule().name()))
                .findFirst().orElseThrow();
        assertThat(chain.ordered()).isTrue();
        assertThat(chain.timespan()).hasMinutes(30);
        assertThat(chain.roleCount()).isEqualTo(3);
        assertThat(chain.groupBy()).containsExactly("Computer", "wer_process");
        Map<String, Object> child = Map.of("Computer", "H1", "ProcessGuid", "{child}", "ParentProcessGuid", "{wer}");
        Map<String, Object> start = Map.of("Computer", "H1", "ProcessGuid", "{wer}");
        assertThat(chain.groupValues(2, new TestEvent(child))).containsExactly("H1", "{wer}");
        assertThat(chain.groupValues(0, new TestEvent(start))).containsExactly("H1", "{wer}");
        assertThat(chain.groupValues(0, new TestEvent(Map.of("Computer", "H1")))).isNull();
    }

    @Test
    void temporalConditionSetsRequiredRoles() {
        CorrelationPlanner.Result all = plan(correlation("temporal", ""));
        assertThat(all.plans().get(0).requiredRoles()).isEqualTo(2);
        assertThat(all.plans().get(0).ordered()).isFalse();
    }

    @Test
    void rejectsCountingTypesForNow() {
        CorrelationPlanner.Result result = plan(correlation("event_count", "    condition: {gte: 10}\n"));
        assertThat(result.plans()).isEmpty();
        assertThat(result.errors()).extracting(RuleError::reason).containsExactly(
                "correlation type event_count is not supported yet (supported: temporal, temporal_ordered)");
    }

    @Test
    void rejectsOrderedConditionBelowAllRules() {
        CorrelationPlanner.Result result = plan(correlation("temporal_ordered", "    condition: {gte: 1}\n"));
        assertThat(result.errors()).extracting(RuleError::reason).containsExactly(
                "condition asks for 1 distinct rules but the correlation lists 2");
    }

    @Test
    void rejectsAliasWithoutFieldForARule() {
        String corr = """
                title: c
                id: 00000000-0000-0000-0000-0000000000cc
                name: corr
                correlation:
                    type: temporal_ordered
                    rules: [rule_a, rule_b]
                    group-by: [proc]
                    aliases:
                        proc:
                            rule_a: ProcessGuid
                    timespan: 5m
                """;
        CorrelationPlanner.Result result = plan(corr);
        assertThat(result.errors()).extracting(RuleError::reason)
                .containsExactly("alias 'proc' has no field for rule 'rule_b'");
    }

    @Test
    void rulesAndCorrelationsWithoutIdsResolveByName() {
        String rules = """
                title: unnamed and without id
                logsource: {product: windows, category: process_creation}
                detection: {sel: {Image|endswith: '\\\\z.exe'}, condition: sel}
                ---
                title: a
                name: only_a_name
                logsource: {product: windows, category: process_creation}
                detection: {sel: {Image|endswith: '\\\\a.exe'}, condition: sel}
                ---
                title: also unnamed and without id
                logsource: {product: windows, category: process_creation}
                detection: {sel: {Image|endswith: '\\\\y.exe'}, condition: sel}
                ---
                title: c
                name: corr_without_id
                correlation:
                    type: temporal_ordered
                    rules: [only_a_name, rule_b]
                    group-by: [Computer]
                    timespan: 5m
                """;
        RulePack pack = new RuleLoader(MatchContext.empty()).load(List.of(
                new RuleSource("base.yml", BASE_RULES), new RuleSource("noid.yml", rules)));
        assertThat(pack.errors()).isEmpty();
        CorrelationPlanner.Result result = new CorrelationPlanner(pack.rules(), pack.correlations()).plan(pack.correlations());
        CorrelationPlan plan = result.plans().get(0);
        assertThat(plan.label()).isEqualTo("corr_without_id");
        assertThat(pack.rules().get(plan.roleRule(0)).name()).isEqualTo("only_a_name");
        assertThat(pack.rules().get(plan.roleRule(1)).name()).isEqualTo("rule_b");
    }
}
