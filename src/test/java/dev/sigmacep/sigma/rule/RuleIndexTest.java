package dev.sigmacep.sigma.rule;

import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RuleIndexTest {
    private static final String RULE = """
            title: %s
            id: %s
            name: %s
            logsource: {product: windows, category: process_creation}
            detection: {sel: {Image: x}, condition: sel}
            """;

    private static final RulePack PACK = new RuleLoader(MatchContext.empty()).load(List.of(
            new RuleSource("a.yml", RULE.formatted("A", "id-a", "name_a")),
            new RuleSource("b.yml", RULE.formatted("B", "id-b", "name_b")),
            new RuleSource("c.yml", """
                    title: C
                    id: id-c
                    name: chain_c
                    correlation: {type: temporal, rules: [name_a, id-b], group-by: [Computer], timespan: 5m}
                    """)));

    @Test
    void findsDetectionRulesAndCorrelationsByIdOrName() {
        assertThat(PACK.errors()).isEmpty();
        RuleIndex index = PACK.index();
        assertThat(index.detectionIndex("id-b")).isEqualTo(1);
        assertThat(index.detectionIndex("name_a")).isEqualTo(0);
        assertThat(index.detectionIndex("chain_c")).isEqualTo(-1);
        assertThat(index.resolve("name_b")).contains(new RuleReference.Detection(PACK.rules().get(1)));
        assertThat(index.resolve("id-c")).contains(new RuleReference.Correlation(PACK.correlations().get(0)));
        assertThat(index.resolve("chain_c")).contains(new RuleReference.Correlation(PACK.correlations().get(0)));
        assertThat(index.resolve("absent")).isEmpty();
        assertThat(PACK.detectionRules(PACK.correlations().get(0))).extracting(SigmaRule::id).containsExactly("id-a", "id-b");
    }

    @Test
    void labelsFallBackInOneOrder() {
        assertThat(RuleLabels.display("id", "name", "Title")).isEqualTo("name");
        assertThat(RuleLabels.display("id", null, "Title")).isEqualTo("id");
        assertThat(RuleLabels.display(null, null, "Title")).isEqualTo("Title");
        assertThat(RuleLabels.key("id", "name", "path.yml")).isEqualTo("id");
        assertThat(RuleLabels.key(null, "name", "path.yml")).isEqualTo("name");
        assertThat(RuleLabels.key(null, null, "path.yml")).isEqualTo("path.yml");
    }
}
