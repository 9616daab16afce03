package dev.sigmacep.sigma.load;

import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.Logsource;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.RuleReference;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.sigma.rule.SigmaRule;
import dev.sigmacep.testing.TestEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class RuleLoaderTest {
    private static final String GOOD = """
            title: Whoami Execution
            id: good-1
            logsource:
                category: process_creation
                product: windows
            detection:
                selection:
                    Image|endswith: '\\whoami.exe'
                condition: selection
            """;

    private static RulePack load(RuleSource... sources) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> new RuleLoader(MatchContext.empty()).load(List.of(sources)));
    }

    private static String rule(String id, String detection) {
        return "title: rule " + id + "\nid: " + id + "\nlogsource:\n    product: windows\ndetection:\n" + detection;
    }

    @Test
    void loadsSeveralRulesFromOneFileWithAllMetadataAndCustomAttributes() {
        RulePack pack = load(new RuleSource("multi.yml", """
                title: First
                id: 11111111-1111-4111-8111-111111111111
                name: first_rule
                status: experimental
                description: the first one
                references: [https://example.com/a]
                author: Someone, Someone Else
                date: 2024-01-02
                modified: 2025-03-04
                tags: [attack.execution, attack.t1059]
                logsource: {product: windows, category: process_creation, definition: Sysmon EID 1}
                related:
                    - id: 22222222-2222-4222-8222-222222222222
                      type: derived
                falsepositives: [Admins]
                fields: [CommandLine, ParentImage]
                level: medium
                license: DRL-1.1
                scope: [server]
                x_custom: {team: blue, score: 7}
                regression_tests_path: regression_data/x/info.yml
                detection:
                    sel:
                        CommandLine|contains: whoami
                    condition: sel
                ---
                title: Second
                logsource: {product: windows, service: security}
                detection:
                    keywords: [mimikatz, 'sekurlsa::']
                    condition: keywords
                """));
        assertThat(pack.errors()).isEmpty();
        assertThat(pack.rules()).hasSize(2);
        SigmaRule first = pack.rules().get(0);
        assertThat(first.id()).isEqualTo("11111111-1111-4111-8111-111111111111");
        assertThat(first.name()).isEqualTo("first_rule");
        assertThat(first.status()).isEqualTo("experimental");
        assertThat(first.level()).isEqualTo("medium");
        assertThat(first.tags()).containsExactly("attack.execution", "attack.t1059");
        assertThat(first.path()).isEqualTo("multi.yml");
        assertThat(first.attributes())
                .containsEntry("date", "2024-01-02")
                .containsEntry("modified", "2025-03-04")
                .containsEntry("author", "Someone, Someone Else")
                .containsEntry("falsepositives", List.of("Admins"))
                .containsEntry("fields", List.of("CommandLine", "ParentImage"))
                .containsEntry("related", List.of(Map.of("id", "22222222-2222-4222-8222-222222222222", "type", "derived")))
                .containsEntry("license", "DRL-1.1")
                .containsEntry("scope", List.of("server"))
                .containsEntry("x_custom", Map.of("team", "blue", "score", 7))
                .containsEntry("regression_tests_path", "regression_data/x/info.yml")
                .containsEntry("logsource", Map.of("product", "windows", "category", "process_creation",
                        "definition", "Sysmon EID 1"));
        assertThat(pack.compiled().get(0).matches(TestEvent.of("CommandLine", "C:\\x\\WHOAMI.exe /all"))).isTrue();

        SigmaRule second = pack.rules().get(1);
        assertThat(second.id()).isNull();
        assertThat(second.logsource()).isEqualTo(new Logsource("windows", null, "security"));
        assertThat(pack.compiled().get(1).matches(TestEvent.of("Payload", "run sekurlsa::logonpasswords"))).isTrue();
        assertThat(pack.compiled().get(1).matches(TestEvent.of("Payload", "benign"))).isFalse();
    }

    @Test
    void badRulesBecomeErrorsAndTheOthersStillLoad() {
        List<RuleSource> sources = new ArrayList<>();
        sources.add(new RuleSource("good.yml", GOOD));
        sources.add(new RuleSource("invalid.yml", "title: broken\ndetection: [unclosed\n"));
        StringBuilder laughs = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            laughs.append(c).append(": &").append(c).append(" [")
                    .append(String.join(", ", Collections.nCopies(9, "*" + (char) (c - 1)))).append("]\n");
        }
        sources.add(new RuleSource("bomb.yml", laughs.toString()));
        StringBuilder doubling = new StringBuilder("title: x\nl0: &l0 [x, x]\n");
        for (int i = 1; i <= 24; i++) {
            doubling.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1)
                    .append(", *l").append(i - 1).append("]\n");
        }
        sources.add(new RuleSource("explosion.yml", doubling.toString()));
        sources.add(new RuleSource("modifier.yml", rule("bad-modifier",
                "    sel:\n        Image|sortof: x\n    condition: sel\n")));
        sources.add(new RuleSource("unbalanced.yml", rule("bad-paren",
                "    sel:\n        Image: x\n    condition: (sel\n")));
        sources.add(new RuleSource("nocondition.yml", rule("no-condition", "    sel:\n        Image: x\n")));
        sources.add(new RuleSource("nodetection.yml", "title: t\nid: no-detection\nlogsource: {product: windows}\n"));
        sources.add(new RuleSource("nologsource.yml", "title: t\nid: no-logsource\ndetection: {s: [x], condition: s}\n"));
        sources.add(new RuleSource("huge.yml", rule("huge-value",
                "    sel:\n        CommandLine: '" + "A".repeat(1 << 20) + "'\n    condition: sel\n")));
        sources.add(new RuleSource("deep.yml", rule("deep-condition",
                "    sel:\n        Image: x\n    condition: " + "(".repeat(5000) + "sel" + ")".repeat(5000) + "\n")));
        sources.add(new RuleSource("timeframe.yml", rule("old-timeframe",
                "    sel:\n        Image: x\n    timeframe: 5m\n    condition: sel | count() > 5\n")));
        sources.add(new RuleSource("pipe.yml", rule("old-pipe",
                "    sel:\n        Image: x\n    condition: sel | count(User) by Computer > 5\n")));
        sources.add(new RuleSource("collection.yml", "action: global\ntitle: t\nlogsource: {product: windows}\n"));
        sources.add(new RuleSource("notamap.yml", "- just\n- a list\n"));
        sources.add(new RuleSource("duplicate.yml", GOOD));
        sources.add(new RuleSource("duplicatekey.yml", GOOD.replace("good-1", "dup-key") + "level: low\nlevel: high\n"));
        sources.add(new RuleSource("notitle.yml", "id: no-title\nlogsource: {product: windows}\n"
                + "detection: {s: [x], condition: s}\n"));
        sources.add(new RuleSource("level.yml", GOOD.replace("good-1", "bad-level") + "level: urgent\n"));
        sources.add(new RuleSource("emptysel.yml", rule("empty-selection", "    sel: []\n    condition: sel\n")));

        RulePack pack = load(sources.toArray(RuleSource[]::new));

        assertThat(pack.rules()).extracting(SigmaRule::id).containsExactly("good-1");
        Map<String, String> reasons = new LinkedHashMap<>();
        pack.errors().forEach(e -> reasons.put(e.path(), e.reason()));
        assertThat(reasons).hasSize(sources.size() - 1);
        assertThat(reasons.get("invalid.yml")).startsWith("invalid YAML: ").contains("line 3");
        assertThat(reasons.get("bomb.yml"))
                .isEqualTo("invalid YAML: Number of aliases for non-scalar nodes exceeds the specified max=50");
        assertThat(reasons.get("explosion.yml")).contains("expands to more than 200000 nodes");
        assertThat(reasons.get("modifier.yml")).startsWith("search identifier 'sel', field 'Image|sortof': ")
                .contains("sortof");
        assertThat(reasons.get("unbalanced.yml")).isEqualTo(
                "condition '(sel' has an unbalanced '(' at column 1: expected ')' but found end of condition");
        assertThat(reasons.get("nocondition.yml")).isEqualTo("detection has no condition");
        assertThat(reasons.get("nodetection.yml")).isEqualTo("missing detection");
        assertThat(reasons.get("nologsource.yml")).isEqualTo("missing logsource");
        assertThat(reasons.get("huge.yml")).isEqualTo("YAML rejected: the value at 'detection.sel.CommandLine' is "
                + "1048576 characters long, more than the 65536 allowed");
        assertThat(reasons.get("deep.yml")).contains("is nested deeper than 50 levels");
        assertThat(reasons.get("timeframe.yml")).startsWith("detection.timeframe is Sigma 1 aggregation syntax");
        assertThat(reasons.get("pipe.yml")).endsWith("uses an aggregation expression ('| ...' at column 5), "
                + "which Sigma 2 replaced by correlation rules");
        assertThat(reasons.get("collection.yml")).startsWith("rule collection action 'global'");
        assertThat(reasons.get("notamap.yml")).isEqualTo("a rule must be a YAML map, not a list");
        assertThat(reasons.get("duplicate.yml")).isEqualTo("duplicate id 'good-1', already used in good.yml");
        assertThat(reasons.get("duplicatekey.yml")).startsWith("invalid YAML: ").contains("found duplicate key level");
        assertThat(reasons.get("notitle.yml")).isEqualTo("missing title");
        assertThat(reasons.get("level.yml"))
                .isEqualTo("level 'urgent' is not one of [critical, high, informational, low, medium]");
        assertThat(reasons.get("emptysel.yml")).isEqualTo("search identifier 'sel' is an empty list");
        assertThat(pack.errors()).filteredOn(e -> e.path().equals("modifier.yml"))
                .extracting(RuleError::id).containsExactly("bad-modifier");
    }

    @Test
    void errorsInMultiDocumentFilesNameTheDocument() {
        RulePack pack = load(new RuleSource("two.yml", GOOD + "---\ntitle: second\nlogsource: {product: windows}\n"));
        assertThat(pack.rules()).hasSize(1);
        assertThat(pack.errors()).containsExactly(new RuleError("two.yml", null, "document 2: missing detection"));
    }

    @Test
    void searchIdentifierShapes() {
        RulePack pack = load(new RuleSource("shapes.yml", rule("shapes", """
                    map:
                        Image|endswith: '\\a.exe'
                        User: bob
                    maps:
                        - Image|endswith: '\\b.exe'
                        - CommandLine|contains: secret
                    words: [alpha, beta]
                    word: gamma
                    _hidden:
                        User: eve
                    condition: map or maps or words or word
                """)));
        assertThat(pack.errors()).isEmpty();
        SigmaRule rule = pack.rules().get(0);
        assertThat(pack.compiled().get(0).matches(TestEvent.of("Image", "C:\\a.exe", "User", "bob"))).isTrue();
        assertThat(pack.compiled().get(0).matches(TestEvent.of("Image", "C:\\a.exe", "User", "eve"))).isFalse();
        assertThat(pack.compiled().get(0).matches(TestEvent.of("Image", "C:\\b.exe"))).isTrue();
        assertThat(pack.compiled().get(0).matches(TestEvent.of("CommandLine", "a secret"))).isTrue();
        assertThat(pack.compiled().get(0).matches(TestEvent.of("X", "beta"))).isTrue();
        assertThat(pack.compiled().get(0).matches(TestEvent.of("X", "gamma"))).isTrue();
        assertThat(pack.compiled().get(0).matches(TestEvent.of("X", "delta"))).isFalse();

        RulePack mixed = load(new RuleSource("mixed.yml", rule("mixed",
                "    sel:\n        - Image: x\n        - plain\n    condition: sel\n")));
        assertThat(mixed.errors()).extracting(RuleError::reason)
                .containsExactly("search identifier 'sel' mixes maps and plain values in one list");
        RulePack nested = load(new RuleSource("nested.yml", rule("nested",
                "    sel:\n        Image:\n            deeper: x\n    condition: sel\n")));
        assertThat(nested.errors()).extracting(RuleError::reason)
                .containsExactly("search identifier 'sel', field 'Image': values must be plain values or a list of them, not a map");
    }

    @Test
    void filtersExcludeEventsFromTheRulesTheyName() {
        RulePack pack = load(new RuleSource("rule.yml", GOOD), new RuleSource("filter.yml", """
                title: Whoami by admins is fine
                logsource: {category: process_creation, product: windows}
                filter:
                    rules: [good-1]
                    selection:
                        User|startswith: adm_
                    condition: selection
                """), new RuleSource("stray.yml", """
                title: Filter for a rule we do not have
                id: stray
                logsource: {product: windows}
                filter:
                    rules: [absent]
                    selection: {User: x}
                    condition: selection
                """));
        assertThat(pack.errors()).containsExactly(
                new RuleError("stray.yml", "stray", "filter references rule 'absent' which is not in the rule pack"));
        SigmaRule rule = pack.rules().get(0);
        assertThat(pack.compiled().get(0).matches(TestEvent.of("Image", "C:\\whoami.exe", "User", "bob"))).isTrue();
        assertThat(pack.compiled().get(0).matches(TestEvent.of("Image", "C:\\whoami.exe", "User", "adm_bob"))).isFalse();
    }

    @Test
    void correlationsFromTheSpecExampleLoadAndResolve() {
        RulePack pack = load(new RuleSource("mr_failed_then_success.yml", """
                title: Correlation - Multiple Failed Logins Followed by Successful Login
                id: b180ead8-d58f-40b2-ae54-c8940995b9b6
                status: experimental
                correlation:
                    type: temporal_ordered
                    rules:
                        - multiple_failed_login
                        - successful_login
                    group-by:
                        - User
                    timespan: 10m
                level: high
                ---
                title: Multiple failed logons
                id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
                name: multiple_failed_login
                correlation:
                    type: event_count
                    rules:
                        - failed_login
                    group-by:
                        - User
                    timespan: 10m
                    condition:
                        gte: 10
                ---
                title: Single failed login
                id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
                name: failed_login
                logsource:
                    product: windows
                    service: security
                detection:
                    selection:
                        EventID:
                            - 529
                            - 4625
                    condition: selection
                ---
                title: Successful login
                id: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8
                name: successful_login
                logsource:
                    product: windows
                    service: security
                detection:
                    selection:
                        EventID:
                            - 528
                            - 4624
                    condition: selection
                """));
        assertThat(pack.errors()).isEmpty();
        assertThat(pack.rules()).extracting(SigmaRule::name).containsExactly("failed_login", "successful_login");
        assertThat(pack.correlations()).extracting(CorrelationRule::type).containsExactly(
                CorrelationRule.Type.TEMPORAL_ORDERED, CorrelationRule.Type.EVENT_COUNT);
        CorrelationRule outer = pack.correlations().get(0);
        assertThat(outer.level()).isEqualTo("high");
        assertThat(outer.attributes()).containsEntry("status", "experimental");

        assertThat(pack.index().resolve("multiple_failed_login")).get()
                .isEqualTo(new RuleReference.Correlation(pack.correlations().get(1)));
        assertThat(pack.index().resolve("4d0a2c83-c62c-4ed4-b475-c7e23a9269b8")).get()
                .isEqualTo(new RuleReference.Detection(pack.rules().get(1)));
        assertThat(pack.index().resolve("nothing")).isEmpty();
        assertThat(pack.detectionRules(outer)).extracting(SigmaRule::name)
                .containsExactly("failed_login", "successful_login");
        assertThat(pack.compiled().get(0).matches(TestEvent.of("EventID", 4625))).isTrue();
    }

    @Test
    void correlationReferencingAMissingRuleIsAnError() {
        RulePack pack = load(new RuleSource("mr.yml", """
                title: Many failed logins
                id: mr-1
                correlation:
                    type: event_count
                    rules: [x]
                    group-by: [User]
                    timespan: 1h
                    condition: {gte: 100}
                """));
        assertThat(pack.correlations()).isEmpty();
        assertThat(pack.errors()).containsExactly(
                new RuleError("mr.yml", "mr-1", "references rule 'x' which is not in the rule pack"));
    }

    @Test
    void correlationReferencingARejectedRuleSaysSo() {
        RulePack pack = load(new RuleSource("mr.yml", """
                title: Many whoamis
                id: mr-2
                correlation: {type: event_count, rules: [bad-rule], timespan: 1h, condition: {gte: 5}}
                ---
                """ + rule("bad-rule", "    sel:\n        Image: x\n    condition: sel and other\n")));
        assertThat(pack.errors()).extracting(RuleError::reason).containsExactly(
                "document 2: condition 'sel and other' references unknown search identifier 'other' at column 9",
                "references rule 'bad-rule' which is not in the rule pack (that rule was rejected)");
    }

    @Test
    void readWalksDirectoriesSortedAndReportsWhatItCannotRead(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.yml"), GOOD);
        Files.writeString(dir.resolve("a.yaml"), "\uFEFF" + GOOD.replace("good-1", "good-2")); // with a BOM
        Files.writeString(dir.resolve("README.md"), "not a rule");
        Files.write(dir.resolve("latin1.yml"), new byte[]{'t', ':', ' ', (byte) 0xE9});
        Files.createSymbolicLink(dir.resolve("sub/loop"), dir);
        RuleLoader.SourceSet set = RuleLoader.read(List.of(dir, dir.resolve("missing.yml")));
        assertThat(set.sources()).extracting(RuleSource::path)
                .containsExactly(dir.resolve("a.yaml").toString(), dir.resolve("sub/b.yml").toString());
        assertThat(set.skipped()).containsExactly(dir.resolve("README.md").toString());
        assertThat(set.errors()).extracting(RuleError::reason).containsExactly(
                "cannot read: java.nio.file.FileSystemLoopException: " + dir.resolve("sub/loop"),
                "file is not valid UTF-8",
                "cannot read file: java.nio.file.NoSuchFileException: " + dir.resolve("missing.yml"));
        assertThatThrownBy(() -> RuleLoader.readSources(List.of(dir))).hasMessageContaining("not valid UTF-8");

        RulePack pack = new RuleLoader(MatchContext.empty()).load(set);
        assertThat(pack.rules()).extracting(SigmaRule::id).containsExactly("good-2", "good-1");
        assertThat(pack.errors()).hasSize(3);
    }

    @Test
    void placeholdersFromYaml(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("placeholders.yml");
        Files.writeString(file, "placeholders:\n  Admins: [adm_*, root]\n  DC: dc01\n");
        MatchContext context = RuleLoader.placeholdersFromYaml(file);
        assertThat(context.placeholder("Admins")).containsExactly("adm_*", "root");
        assertThat(context.placeholder("DC")).containsExactly("dc01");
        assertThat(context.placeholder("Other")).isNull();

        RulePack pack = new RuleLoader(context).load(List.of(new RuleSource("p.yml", rule("placeholder",
                "    sel:\n        User|expand: '%Admins%'\n    condition: sel\n"))));
        assertThat(pack.errors()).isEmpty();
        assertThat(pack.compiled().get(0).matches(TestEvent.of("User", "adm_x"))).isTrue();
        assertThat(pack.compiled().get(0).matches(TestEvent.of("User", "root"))).isTrue();
        assertThat(pack.compiled().get(0).matches(TestEvent.of("User", "bob"))).isFalse();

        Files.writeString(file, "other: 1\n");
        assertThatThrownBy(() -> RuleLoader.placeholdersFromYaml(file))
                .hasMessage("placeholder file has no 'placeholders' (or 'vars') map");
    }

    @Test
    void aNameThatIsAnotherRulesIdIsRejected() {
        RulePack pack = load(new RuleSource("good.yml", GOOD),
                new RuleSource("clash.yml", GOOD.replace("id: good-1", "id: other-2\nname: good-1")));
        assertThat(pack.rules()).extracting(SigmaRule::id).containsExactly("good-1");
        assertThat(pack.errors()).extracting(RuleError::reason)
                .containsExactly("name 'good-1' is already the id of the rule in good.yml");
    }

    @Test
    void aLoadReusesTheFilesOfThePreviousOneAndClaimsIdentitiesAfresh() {
        RuleSource a = new RuleSource("a.yml", "title: a\nid: id-a\nlogsource: {product: windows, category: process_creation}\n"
                + "detection: {sel: {Image|endswith: a.exe}, condition: sel}\n");
        RuleSource b = new RuleSource("b.yml", "title: b\nid: id-b\nlogsource: {product: windows, category: process_creation}\n"
                + "detection: {sel: {Image|endswith: b.exe}, condition: sel}\n");
        RuleSource bChanged = new RuleSource("b.yml", b.text().replace("b.exe", "c.exe"));
        RuleSource aAgain = new RuleSource("a2.yml", a.text()); // another file with a's id: rejected every time
        RuleLoader loader = new RuleLoader(MatchContext.empty());
        RuleLoader.Reuse reuse = new RuleLoader.Reuse();

        RulePack first = loader.load(List.of(a, b), reuse);
        RulePack second = loader.load(List.of(a, bChanged, aAgain), reuse);

        assertThat(second.compiled().get(0)).isSameAs(first.compiled().get(0)); // a: compiled once
        assertThat(second.compiled().get(1)).isNotSameAs(first.compiled().get(1));
        assertThat(second.compiled().get(1).matches(TestEvent.of("Image", "C:\\x\\c.exe"))).isTrue();
        RulePack fresh = new RuleLoader(MatchContext.empty()).load(List.of(a, bChanged, aAgain));
        assertThat(second.errors()).isEqualTo(fresh.errors()).hasSize(1);
        assertThat(second.rules()).extracting(SigmaRule::id).isEqualTo(fresh.rules().stream().map(SigmaRule::id).toList());
        // placeholders change what rules compile to: nothing is reused across them
        RulePack other = new RuleLoader(new MatchContext(Map.of("x", List.of("y")))).load(List.of(a), reuse);
        assertThat(other.compiled().get(0)).isNotSameAs(first.compiled().get(0));
    }
}
