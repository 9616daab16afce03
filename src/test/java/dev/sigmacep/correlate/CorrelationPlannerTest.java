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
    void countingAndValueTypesPlanWithTheirFieldsPerRole() {
        CorrelationPlanner.Result count = plan(correlation("event_count", "    condition: {gte: 10}\n"));
        assertThat(count.errors()).isEmpty();
        assertThat(count.plans().get(0).temporal()).isFalse();
        assertThat(count.plans().get(0).values(0, new TestEvent(Map.of("Computer", "H1")))).isEmpty();

        CorrelationPlanner.Result values = plan(correlation("value_count", "    condition: {field: User, gte: 3}\n"));
        assertThat(values.errors()).isEmpty();
        CorrelationPlan plan = values.plans().get(0);
        assertThat(plan.values(1, new TestEvent(Map.of("Computer", "H1", "User", "bob")))).containsExactly("bob");
        assertThat(plan.values(1, new TestEvent(Map.of("Computer", "H1")))).isNull();
    }

    @Test
    void aCountNeedsOneRuleAndANumericTypeOneField() {
        String one = correlation("event_count", "    condition: {gte: 10}\n").replace("[rule_a, rule_b]", "[rule_a]");
        assertThat(plan(one).errors()).isEmpty();
        CorrelationPlanner.Result two = plan(correlation("value_sum", "    condition: {field: [A, B], gt: 1}\n"));
        assertThat(two.errors()).extracting(RuleError::reason)
                .containsExactly("value_sum measures one field, condition.field names 2");
    }

    private static final String CHAIN = """
            title: many a
            id: 00000000-0000-0000-0000-0000000000c1
            name: many_a
            correlation:
                type: event_count
                rules: [rule_a]
                group-by: [Computer, User]
                timespan: 10m
                condition: {gte: 3}
            ---
            title: many a then b
            id: 00000000-0000-0000-0000-0000000000c2
            name: many_a_then_b
            correlation:
                type: temporal_ordered
                rules: [many_a, rule_b]
                group-by: [User]
                timespan: 10m
            """;

    @Test
    void aChainPlansTheInnerCorrelationFirstAndReadsItsGroupBy() {
        RulePack pack = new RuleLoader(MatchContext.empty()).load(List.of(
                new RuleSource("base.yml", BASE_RULES), new RuleSource("chain.yml", CHAIN)));
        assertThat(pack.errors()).isEmpty();
        // listed outer first: planned inner first all the same
        List<dev.sigmacep.sigma.rule.CorrelationRule> reversed = List.of(pack.correlations().get(1),
                pack.correlations().get(0));
        CorrelationPlanner.Result result = new CorrelationPlanner(pack.rules(), reversed).plan(reversed);
        assertThat(result.errors()).isEmpty();
        assertThat(result.plans()).extracting(CorrelationPlan::label).containsExactly(
                "00000000-0000-0000-0000-0000000000c1", "00000000-0000-0000-0000-0000000000c2");
        CorrelationPlan outer = result.plans().get(1);
        assertThat(outer.roleCorrelation(0)).isZero();
        assertThat(outer.roleRule(0)).isEqualTo(-1);
        assertThat(outer.roleCorrelation(1)).isEqualTo(-1);
        assertThat(pack.rules().get(outer.roleRule(1)).name()).isEqualTo("rule_b");
    }

    @Test
    void aChainOnACorrelationThatCannotRunCannotRunEither() {
        String chain = CHAIN.replace("type: event_count", "type: value_sum")
                .replace("condition: {gte: 3}", "condition: {field: [A, B], gte: 3}");
        RulePack pack = new RuleLoader(MatchContext.empty()).load(List.of(
                new RuleSource("base.yml", BASE_RULES), new RuleSource("chain.yml", chain)));
        CorrelationPlanner.Result result = new CorrelationPlanner(pack.rules(), pack.correlations())
                .plan(pack.correlations());
        assertThat(result.plans()).isEmpty();
        assertThat(result.errors()).extracting(RuleError::reason).containsExactly(
                "value_sum measures one field, condition.field names 2",
                "references correlation 'many_a', which cannot run: value_sum measures one field, condition.field names 2");
    }

    @Test
    void aChainCannotGroupByWhatTheInnerAlertsDoNotCarry() {
        String chain = CHAIN.replace("group-by: [User]\n", "group-by: [TargetHost]\n");
        RulePack pack = new RuleLoader(MatchContext.empty()).load(List.of(
                new RuleSource("base.yml", BASE_RULES), new RuleSource("chain.yml", chain)));
        CorrelationPlanner.Result result = new CorrelationPlanner(pack.rules(), pack.correlations())
                .plan(pack.correlations());
        assertThat(result.plans()).hasSize(1);
        assertThat(result.errors()).extracting(RuleError::reason).containsExactly("group-by 'TargetHost' is not a "
                + "group-by field of correlation 'many_a' [Computer, User], so its alerts do not carry it");
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
