package dev.sigmacep.sigma;

import dev.sigmacep.sigma.match.MatchContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Loads the SigmaHQ rule folders and checks that every rejection is a construct we deliberately do not support. */
class SigmaHqPackTest {

    private static RulePack load(String folder, MatchContext context) {
        RuleLoader.SourceSet sources = RuleLoader.read(List.of(SharedData.path("data/sigma/" + folder)));
        RulePack pack = new RuleLoader(context).load(sources);
        System.out.printf("%s: %d files, %d rules, %d correlations, %d rejected%n", folder,
                sources.sources().size(), pack.rules().size(), pack.correlations().size(), pack.errors().size());
        rejectionsByReason(pack).forEach((reason, errors) -> {
            System.out.printf("  %3d x %s%n", errors.size(), reason);
            errors.stream().limit(3).forEach(e -> System.out.printf("        %s%n", e.path()));
        });
        return pack;
    }

    /** Reasons with the rule-specific parts (identifier and field names, values) blanked, for grouping. */
    static Map<String, List<RuleError>> rejectionsByReason(RulePack pack) {
        return pack.errors().stream().collect(Collectors.groupingBy(
                e -> e.reason().replaceAll("'[^']*'", "'…'"), TreeMap::new, Collectors.toList()));
    }

    @Test
    void rules() {
        RulePack pack = load("rules", MatchContext.empty());
        assertThat(pack.rules().size() + pack.errors().size()).isEqualTo(3141);
    }

    @Test
    void others() {
        load("rules-emerging-threats", MatchContext.empty());
        load("rules-threat-hunting", MatchContext.empty());
        load("rules-compliance", MatchContext.empty());
        load("rules-placeholder", MatchContext.empty());
    }
}
