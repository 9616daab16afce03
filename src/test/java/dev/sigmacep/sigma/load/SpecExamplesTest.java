package dev.sigmacep.sigma.load;

import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.sigma.rule.SigmaRule;
import dev.sigmacep.testing.SharedData;
import dev.sigmacep.testing.TestEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The example rules and filters shipped with the Sigma specification's schema tests. */
class SpecExamplesTest {
    private static final Path EXAMPLES = Path.of("data/sigma-spec/tests/schema");

    @Test
    void exampleRulesLoad() {
        for (String example : List.of("rule_1.yml", "rule_ecs.yml")) { // the two share an id: load one at a time
            RulePack pack = new RuleLoader(MatchContext.empty())
                    .load(RuleLoader.read(List.of(SharedData.path(EXAMPLES.resolve("rules/" + example).toString()))));
            assertThat(pack.errors()).as(example).isEmpty();
            assertThat(pack.rules()).as(example).hasSize(1);
        }
        RulePack pack = new RuleLoader(MatchContext.empty())
                .load(RuleLoader.read(List.of(SharedData.path(EXAMPLES.resolve("rules/rule_1.yml").toString()))));
        SigmaRule rule = pack.rules().get(0);
        assertThat(rule.attributes()).containsEntry("date", "2017-05-09").containsEntry("modified", "2023-04-14");
        assertThat(pack.compiled().get(0).matches(TestEvent.of("Provider_Name", "Application Error"))).isTrue();
        assertThat(pack.compiled().get(0).matches(TestEvent.of("Provider_Name", "Application Hang"))).isFalse();
    }

    @Test
    void exampleFilterExcludesAdministratorsFromTheRulesItNames() throws Exception {
        Path filter = SharedData.path(EXAMPLES.resolve("filter/filter_1.yml").toString());
        List<RuleSource> sources = new ArrayList<>();
        for (String id : List.of("6f3e2987-db24-4c78-a860-b4f4095a7095", "df0841c0-9846-4e9f-ad8a-7df91571771b",
                "00000000-0000-4000-8000-000000000000")) {
            sources.add(new RuleSource(id + ".yml", "title: rar\nid: " + id + "\n"
                    + "logsource: {category: process_creation, product: windows}\n"
                    + "detection: {sel: {Image|endswith: '\\rar.exe'}, condition: sel}\n"));
        }
        sources.add(new RuleSource(filter.toString(), Files.readString(filter)));
        RulePack pack = new RuleLoader(MatchContext.empty()).load(sources);

        assertThat(pack.errors()).isEmpty();
        TestEvent admin = TestEvent.of("Image", "C:\\rar.exe", "User", "adm_jane");
        TestEvent user = TestEvent.of("Image", "C:\\rar.exe", "User", "jane");
        assertThat(pack.compiled()).extracting(rule -> rule.matches(admin)).containsExactly(false, false, true);
        assertThat(pack.compiled()).extracting(rule -> rule.matches(user)).containsExactly(true, true, true);
        // the model keeps the filter's detection beside the rule's own
        assertThat(pack.rules()).extracting(rule -> rule.exclusions().size()).containsExactly(1, 1, 0);
    }
}
