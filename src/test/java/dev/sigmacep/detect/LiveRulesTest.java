package dev.sigmacep.detect;

import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RuleSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Rule updates on their own: what each kind does to the running rules, and what is refused, with the reason. */
class LiveRulesTest {
    private static final String RULE_A = """
            title: a
            id: 00000000-0000-0000-0000-00000000000a
            name: rule_a
            logsource: {product: windows, category: process_creation}
            detection: {sel: {Image|endswith: '\\\\a.exe'}, condition: sel}
            """;
    private static final String RULE_B = """
            title: b
            name: rule_b
            logsource: {product: windows, category: process_creation}
            detection: {sel: {Image|endswith: '\\\\b.exe'}, condition: sel}
            """;
    private static final String CHAIN = """
            title: a then b
            id: 00000000-0000-0000-0000-0000000000cc
            correlation: {type: temporal_ordered, rules: [rule_a, rule_b], group-by: [Computer], timespan: 5m}
            """;

    private static LiveRules deployed() {
        return LiveRules.deployed(List.of(new RuleSource("base.yml", RULE_A + "---\n" + RULE_B),
                new RuleSource("chain.yml", CHAIN)), MatchContext.empty());
    }

    private static String titles(LiveRules rules) {
        StringBuilder titles = new StringBuilder();
        for (int i = 0; i < rules.model().compiled().size(); i++) {
            titles.append(rules.model().rule(i).title()).append(' ');
        }
        return titles.toString().strip();
    }

    @Test
    void addReplaceAndRemoveEachGiveANewVersion() {
        LiveRules rules = deployed();
        assertThat(titles(rules)).isEqualTo("a b");
        assertThat(rules.model().plans()).hasSize(1);

        LiveRules.Outcome added = rules.apply(new RuleUpdate("new.yml", """
                title: c
                id: 00000000-0000-0000-0000-00000000000c
                logsource: {product: windows, category: process_creation}
                detection: {sel: {Image|endswith: '\\\\c.exe'}, condition: sel}
                """));
        assertThat(added.statuses()).containsExactly(
                new RuleStatus("new.yml", "00000000-0000-0000-0000-00000000000c", "added", 1, null));
        rules = added.next();
        assertThat(titles(rules)).isEqualTo("a b c");

        LiveRules.Outcome replaced = rules.apply(new RuleUpdate("b2.yml", RULE_B.replace("title: b", "title: b2")));
        assertThat(replaced.statuses()).containsExactly(new RuleStatus("b2.yml", "rule_b", "replaced", 2, null));
        rules = replaced.next();
        assertThat(titles(rules)).as("a changed rule keeps its place").isEqualTo("a b2 c");
        assertThat(rules.model().plans()).hasSize(1);
        assertThat(rules.version("rule_b")).isEqualTo(2);
        assertThat(rules.version("00000000-0000-0000-0000-00000000000a")).isEqualTo(1);

        LiveRules.Outcome removed = rules.apply(new RuleUpdate("gone.yml", """
                title: c
                id: 00000000-0000-0000-0000-00000000000c
                status: deprecated
                """));
        assertThat(removed.statuses()).extracting(RuleStatus::outcome).containsExactly("removed");
        assertThat(titles(removed.next())).isEqualTo("a b2");
    }

    @Test
    void aBadUpdateIsRefusedWithItsReasonAndTheRulesStay() {
        LiveRules rules = deployed();
        assertThat(rules.apply(new RuleUpdate("bad.yml", RULE_B.replace("endswith", "nosuchmodifier"))).statuses())
                .singleElement().satisfies(status -> {
                    assertThat(status.rejected()).isTrue();
                    assertThat(status.rule()).isEqualTo("rule_b");
                    assertThat(status.reason()).contains("nosuchmodifier");
                });
        assertThat(rules.apply(new RuleUpdate("bad.yml", RULE_B)).next()).isNotNull();

        assertThat(reason(rules, "title: x\nlogsource: {product: windows}\ndetection: {s: {a: 1}, condition: s}\n"))
                .isEqualTo("a rule sent to the running job needs an id or a name");
        assertThat(reason(rules, CHAIN)).isEqualTo(
                "correlations and filters change with a restart from a savepoint, not while the job runs");
        assertThat(reason(rules, "name: rule_b\nstatus: deprecated\n")).isEqualTo(
                "the correlations [00000000-0000-0000-0000-0000000000cc] would no longer run (they need the rule);"
                        + " change correlations with a restart from a savepoint");
        assertThat(reason(rules, "name: nothing\nstatus: deprecated\n")).isEqualTo("no rule 'nothing' to remove");
        assertThat(reason(rules, "a: [unclosed\n")).startsWith("invalid YAML");
        assertThat(reason(rules, "")).isEqualTo("the update holds no rule");
        assertThat(titles(rules)).isEqualTo("a b");
    }

    private static String reason(LiveRules rules, String update) {
        LiveRules.Outcome outcome = rules.apply(new RuleUpdate("u.yml", update));
        assertThat(outcome.next()).isNull();
        return outcome.statuses().get(0).reason();
    }
}
