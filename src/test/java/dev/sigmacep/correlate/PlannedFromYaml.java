package dev.sigmacep.correlate;

import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.RuleSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A correlation planned from YAML as the job plans it, over four detection rules {@code a}, {@code b}, {@code c} and
 * {@code x} (process starts of {@code a.exe} ...): the correlation's YAML is the body of its {@code correlation:}
 * section, indented by four spaces.
 */
public final class PlannedFromYaml {
    private PlannedFromYaml() {
    }

    /** The four detection rules and the correlation (id {@code corr-id}), loaded; load errors are the caller's. */
    static RulePack pack(String correlation) {
        StringBuilder rules = new StringBuilder();
        for (String name : List.of("a", "b", "c", "x")) {
            rules.append("title: ").append(name).append("\nname: ").append(name)
                    .append("\nlogsource: {product: windows, category: process_creation}\n")
                    .append("detection: {sel: {Image: '").append(name).append(".exe'}, condition: sel}\n---\n");
        }
        return new RuleLoader(MatchContext.empty()).load(List.of(new RuleSource("rules.yml", rules
                + "title: corr\nid: corr-id\nname: corr\ncorrelation:\n" + correlation)));
    }

    /** The planner's outcome for a correlation that loads without error. */
    static CorrelationPlanner.Result planned(String correlation) {
        RulePack pack = pack(correlation);
        assertThat(pack.errors()).isEmpty();
        return new CorrelationPlanner(pack.rules(), pack.correlations()).plan(pack.correlations());
    }

    /** The plan of a correlation that loads and plans without error. */
    public static CorrelationPlan plan(String correlation) {
        CorrelationPlanner.Result result = planned(correlation);
        assertThat(result.errors()).isEmpty();
        return result.plans().get(0);
    }
}
