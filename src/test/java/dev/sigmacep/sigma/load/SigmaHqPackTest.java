package dev.sigmacep.sigma.load;

import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loads the SigmaHQ rule folders and prints the rejections grouped by reason.
 */
class SigmaHqPackTest {
    private static final Pattern MISSING_PLACEHOLDER = Pattern.compile(
            "search identifier '[^']+', field '[^']+\\|expand[^']*': placeholder %[^%]+% in '[^']+' has no value "
                    + "in the placeholder configuration");

    private static RulePack load(String folder, MatchContext context) {
        RuleLoader.SourceSet sources = RuleLoader.read(List.of(SharedData.path("data/sigma/" + folder)));
        assertThat(sources.errors()).isEmpty();
        RulePack pack = new RuleLoader(context).load(sources);
        System.out.printf("%s: %d files, %d rules loaded, %d rejected%n", folder,
                sources.sources().size(), pack.rules().size(), pack.errors().size());
        rejectionsByReason(pack).forEach((reason, errors) -> {
            System.out.printf("  %3d x %s%n", errors.size(), reason);
            errors.forEach(e -> System.out.printf("        %s%n", Path.of(e.path()).getFileName()));
        });
        assertThat(pack.rules().size() + pack.errors().size()).isEqualTo(sources.sources().size());
        return pack;
    }

    /** Reasons with rule-specific names and values blanked, for grouping. */
    private static Map<String, List<RuleError>> rejectionsByReason(RulePack pack) {
        return pack.errors().stream().collect(Collectors.groupingBy(
                e -> e.reason().replaceAll("'[^']*'", "'…'").replaceAll("%[^%]+%", "%…%"),
                TreeMap::new, Collectors.toList()));
    }

    /**
     * Every construct SigmaHQ uses is supported, so any rejection is a regression (or a new construct to judge:
     * then name it here with the reason it is not supported).
     */
    private static void assertNoRejections(RulePack pack) {
        assertThat(pack.errors()).as("rejections").isEmpty();
    }

    @Test
    void atLeast99PercentOfTheMainRulesLoad() {
        RulePack pack = load("rules", MatchContext.empty());
        assertThat(pack.rules().size()).isGreaterThanOrEqualTo((int) Math.ceil(3141 * 0.99));
        assertNoRejections(pack);
    }

    @Test
    void emergingThreatsThreatHuntingAndComplianceRulesLoad() throws Exception {
        MatchContext placeholders = RuleLoader.placeholdersFromYaml(Path.of(
                SigmaHqPackTest.class.getResource("/sigma/placeholders.yml").toURI()));
        for (String folder : List.of("rules-emerging-threats", "rules-threat-hunting", "rules-compliance")) {
            assertNoRejections(load(folder, placeholders));
        }
    }

    @Test
    void placeholderRulesNameTheMissingPlaceholderAndLoadWhenGivenValues() throws Exception {
        RulePack without = load("rules-placeholder", MatchContext.empty());
        assertThat(without.rules()).isEmpty();
        assertThat(without.errors()).hasSize(23).allSatisfy(error ->
                assertThat(error.reason()).matches(MISSING_PLACEHOLDER));

        MatchContext placeholders = RuleLoader.placeholdersFromYaml(Path.of(
                SigmaHqPackTest.class.getResource("/sigma/placeholders.yml").toURI()));
        RulePack with = load("rules-placeholder", placeholders);
        assertNoRejections(with);
        assertThat(with.rules().size()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void loadedRulesSurviveJavaSerialization() throws Exception {
        RulePack pack = new RuleLoader(MatchContext.empty())
                .load(RuleLoader.read(List.of(SharedData.path("data/sigma/rules/windows"))));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(pack);
        }
        try (ObjectInputStream in = new ObjectInputStream(
                new ByteArrayInputStream(bytes.toByteArray()))) {
            RulePack copy = (RulePack) in.readObject();
            assertThat(copy.rules()).hasSameSizeAs(pack.rules());
            assertThat(copy.rules().get(0).title()).isEqualTo(pack.rules().get(0).title());
        }
    }
}
