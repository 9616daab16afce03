package dev.sigmacep.detect;

import dev.sigmacep.correlate.CorrelationPlan;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.job.TelemetryStreams;
import dev.sigmacep.sigma.condition.ConditionParser;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RuleLabels;
import dev.sigmacep.sigma.rule.SigmaRule;
import dev.sigmacep.testing.TestEvent;
import dev.sigmacep.yaml.SafeYaml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Issue 11, hostile or broken rules: each case writes bad rule files into a directory and loads them together with
 * the project's good rules ({@code rules/}), as {@code rules validate} and the job do ({@link DetectionModel}).
 * Each bad file must become its own error with a precise reason, and every good rule must load and match the
 * sample telemetry ({@code samples/wer-chain}) exactly as when loaded alone. Loads that could hang (the failure
 * mode of a blow-up) run under a generous timeout of {@link #HANG}; what they measured is in docs/reliability.md.
 */
class HostileRulesTest {
    /** no load here takes more than a few seconds on a loaded 2-vCPU machine; a blow-up takes minutes or forever */
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final Path GOOD_RULES = Path.of("rules");
    private static final String RULE_PREFIX = """
            logsource:
                product: windows
                category: process_creation
            detection:
            """;

    private static DetectionModel goodAlone;
    private static List<Event> sampleEvents;
    /** rule id to the sample events (by index) it matches, with the good rules alone */
    private static Map<String, List<Integer>> goodMatches;

    @TempDir
    Path hostile;

    @BeforeAll
    static void loadTheGoodRulesAlone() throws IOException {
        RuleLoader.SourceSet sources = RuleLoader.read(List.of(GOOD_RULES));
        goodAlone = DetectionModel.build(sources.sources(), MatchContext.empty());
        assertThat(goodAlone.errors()).isEmpty();
        sampleEvents = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("samples/wer-chain"))) {
            for (Path file : files.filter(f -> !f.toString().endsWith(".md")).sorted().toList()) {
                TelemetryStreams.decode(file, EventDecoder.DEFAULT_MAX_RECORD_CHARS, result -> {
                    if (result.event() != null) {
                        sampleEvents.add(result.event());
                    }
                });
            }
        }
        goodMatches = matches(goodAlone);
        assertThat(goodMatches).hasSize(4); // every detection rule of rules/: 3 building blocks, SigmaHQ's 396f6630
    }

    private static Map<String, List<Integer>> matches(DetectionModel model) {
        Map<String, List<Integer>> byRule = new TreeMap<>();
        for (int e = 0; e < sampleEvents.size(); e++) {
            int event = e;
            model.compiled().match(sampleEvents.get(e), rule ->
                    byRule.computeIfAbsent(key(model.rule(rule)), id -> new ArrayList<>()).add(event));
        }
        return byRule;
    }

    private static String key(SigmaRule rule) {
        return RuleLabels.key(rule.id(), rule.name(), rule.path());
    }

    /**
     * Loads the good rules and the hostile directory within {@link #HANG}; checks that the good rules all loaded
     * and match as they do alone, and that every error is a hostile file's. Returns the model.
     */
    private DetectionModel loadBesideGoodRules() {
        return loadBesideGoodRules(MatchContext.empty());
    }

    private DetectionModel loadBesideGoodRules(MatchContext context) {
        DetectionModel model = assertTimeoutPreemptively(HANG, () -> DetectionModel.build(
                RuleLoader.read(List.of(GOOD_RULES, hostile)).sources(), context));
        List<String> goodIds = goodAlone.pack().rules().stream().map(SigmaRule::id).toList();
        assertThat(model.pack().rules()).extracting(SigmaRule::id).containsAll(goodIds);
        assertThat(model.plans()).extracting(CorrelationPlan::label)
                .containsAll(goodAlone.plans().stream().map(CorrelationPlan::label).toList());
        Map<String, List<Integer>> all = matches(model);
        all.keySet().retainAll(goodMatches.keySet());
        assertThat(all).isEqualTo(goodMatches);
        assertThat(model.errors()).allSatisfy(error -> assertThat(error.path()).startsWith(hostile.toString()));
        return model;
    }

    /** file name to the reasons of its errors, in order; files that could not be read first, as validate lists them */
    private Map<String, List<String>> reasons(DetectionModel model) {
        Map<String, List<String>> byFile = new TreeMap<>();
        List<RuleError> errors = new ArrayList<>(RuleLoader.read(List.of(hostile)).errors());
        errors.addAll(model.errors());
        for (RuleError error : errors) {
            byFile.computeIfAbsent(Path.of(error.path()).getFileName().toString(), f -> new ArrayList<>())
                    .add(error.reason());
        }
        return byFile;
    }

    private void write(String file, String text) throws IOException {
        Files.writeString(hostile.resolve(file), text);
    }

    /** A process-creation rule with the given id and detection (indented by four spaces). */
    private void writeRule(String file, String id, String detection) throws IOException {
        write(file, "title: hostile " + id + "\nid: " + id + "\n" + RULE_PREFIX + detection);
    }

    // 1. YAML ----------------------------------------------------------------------------------------------------

    @Test
    void yamlBombsHugeFilesDeepNestingAndManyDocumentsAreRejectedPerFile() throws IOException {
        StringBuilder laughs = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            laughs.append(c).append(": &").append(c).append(" [")
                    .append(String.join(", ", Collections.nCopies(9, "*" + (char) (c - 1)))).append("]\n");
        }
        write("billion_laughs.yml", "title: lol\n" + laughs);
        StringBuilder doubling = new StringBuilder("title: x\nl0: &l0 [x, x]\n");
        for (int i = 1; i <= 24; i++) { // 48 aliases, under the alias cap: 2^25 nodes once expanded
            doubling.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1)
                    .append(", *l").append(i - 1).append("]\n");
        }
        write("alias_doubling.yml", doubling.toString());
        write("aliased_strings.yml", "title: x\na: &a '" + "x".repeat(60_000) + "'\nb: ["
                + String.join(",", Collections.nCopies(1000, "*a")) + "]\n");
        write("huge_file.yml", "title: x\n# " + "x".repeat(SafeYaml.MAX_CODE_POINTS) + "\n");
        write("deep_flow.yml", "title: x\na: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
        StringBuilder block = new StringBuilder("title: x\na:\n");
        for (int level = 1; level <= 100; level++) {
            block.append("  ".repeat(level)).append("b:\n");
        }
        write("deep_block.yml", block.toString());
        write("duplicate_keys.yml", "title: a\nid: dup-keys\ntitle: b\n");
        StringBuilder documents = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            documents.append("---\njust text ").append(i).append('\n');
        }
        write("many_documents.yml", documents.toString());

        Map<String, List<String>> reasons = reasons(loadBesideGoodRules());

        assertThat(reasons).containsEntry("billion_laughs.yml",
                        List.of("invalid YAML: Number of aliases for non-scalar nodes exceeds the specified max=50"))
                .containsEntry("alias_doubling.yml",
                        List.of("YAML rejected: the document expands to more than 200000 nodes (alias explosion?)"))
                .containsEntry("aliased_strings.yml", List.of("YAML rejected: the document expands to more than "
                        + "8388608 characters (aliased strings?)"))
                .containsEntry("huge_file.yml", List.of("file is 8388620 bytes, more than the 8388608 allowed"))
                .containsEntry("deep_flow.yml",
                        List.of("invalid YAML: Nesting Depth exceeded max 64"))
                .containsEntry("deep_block.yml",
                        List.of("invalid YAML: Nesting Depth exceeded max 64"))
                .containsEntry("duplicate_keys.yml", List.of("invalid YAML: while constructing a mapping: "
                        + "found duplicate key title at line 3, column 1"));
        List<String> perDocument = reasons.get("many_documents.yml");
        assertThat(perDocument).hasSize(100_000);
        assertThat(perDocument.get(0)).isEqualTo("document 1: a rule must be a YAML map, not the string 'just text 0'");
        assertThat(perDocument.get(99_999)).isEqualTo("document 100000: a rule must be a YAML map, not the string 'just text 99999'");
        assertThat(reasons).hasSize(8);
    }

    // 2. Conditions ----------------------------------------------------------------------------------------------

    @Test
    void deepWideAndHugeConditionsAreRejectedPerRuleWithoutAStackOverflow() throws IOException {
        writeRule("nots.yml", "nots", "    sel: {Image: x}\n    condition: '" + "not ".repeat(10_000) + "sel'\n");
        writeRule("brackets.yml", "brackets", "    sel: {Image: x}\n    condition: '" + "(".repeat(10_000) + "sel"
                + ")".repeat(10_000) + "'\n");
        writeRule("megabyte.yml", "megabyte", "    sel: {Image: x}\n    condition: '"
                + String.join(" or ", Collections.nCopies(150_000, "sel")) + "'\n");
        // 120 conditions of 63 KB each (under every YAML limit), OR-ed: 1,080,000 references
        writeRule("condition_list.yml", "condition-list", "    sel: {Image: x}\n    condition:\n"
                + ("        - '" + String.join(" or ", Collections.nCopies(9_000, "sel")) + "'\n").repeat(120));
        StringBuilder identifiers = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            identifiers.append("    sel").append(i).append(": {CommandLine|contains: 'marker-").append(i)
                    .append("-x'}\n");
        }
        // '1 of sel*' over 5,000 identifiers, 4,600 times: 23 million references (about 20 s to compile without
        // the cap)
        writeRule("one_of_blowup.yml", "one-of-blowup", identifiers + "    condition: '"
                + "1 of sel* and ".repeat(4_600) + "sel1'\n");
        writeRule("one_of_thousands.yml", "one-of-thousands", identifiers + "    condition: 1 of sel*\n");

        DetectionModel model = loadBesideGoodRules();

        assertThat(reasons(model)).containsOnly(
                Map.entry("nots.yml", List.of("condition '" + "not ".repeat(30) + "...' is nested deeper than 50 "
                        + "levels (at column 201)")),
                Map.entry("brackets.yml", List.of("condition '" + "(".repeat(120) + "...' is nested deeper than 50 "
                        + "levels (at column 51)")),
                Map.entry("megabyte.yml", List.of("YAML rejected: the value at 'detection.condition' is 1049996 "
                        + "characters long, more than the 65536 allowed")),
                Map.entry("condition_list.yml", List.of("condition '" + "sel or ".repeat(17) + "s...' refers to more "
                        + "than 100000 search identifiers with '1 of'/'all of' expanded (at column 7001)")),
                Map.entry("one_of_blowup.yml", List.of("condition '" + "1 of sel* and ".repeat(8) + "1 of sel...' "
                        + "refers to more than 100000 search identifiers with '1 of'/'all of' expanded"
                        + " (at column 281)")));
        assertThat(ConditionParser.MAX_REFERENCES).isEqualTo(100_000);
        int thousands = ruleIndex(model, "one-of-thousands");
        assertThat(model.compiled().rule(thousands).detection().identifiers()).hasSize(5_000);
        assertThat(matchedRules(model, processStart("run marker-4999-x now"))).contains(thousands);
        assertThat(matchedRules(model, processStart("run marker-5000-x now"))).doesNotContain(thousands);
    }

    // 3. Regular expressions --------------------------------------------------------------------------------------

    @Test
    void catastrophicRegexesRunInLinearTimeAndUncompilableOnesAreRejectedByRule() throws IOException {
        writeRule("catastrophic.yml", "catastrophic", "    sel: {CommandLine|re: '(a+)+$'}\n    condition: sel\n");
        writeRule("backreference.yml", "backreference", "    sel: {CommandLine|re: '(a)\\1'}\n    condition: sel\n");
        writeRule("lookahead.yml", "lookahead", "    sel: {CommandLine|re: 'a(?=b)'}\n    condition: sel\n");
        writeRule("nested_groups.yml", "nested-groups", "    sel: {CommandLine|re: '" + "(".repeat(1_000) + "a"
                + ")".repeat(1_000) + "'}\n    condition: sel\n");
        writeRule("nested_repeats.yml", "nested-repeats",
                "    sel: {CommandLine|re: '((a{1000}){1000}){1000}'}\n    condition: sel\n");
        // 60,000 literal characters: RE2/J's parser alone took 5 s of CPU (quadratic)
        writeRule("long_regex.yml", "long-regex", "    sel: {CommandLine|re: 'x" + "{".repeat(60_000)
                + "'}\n    condition: sel\n");
        StringBuilder alternation = new StringBuilder(); // 3,089 characters, under the length cap
        for (int i = 0; i < 400; i++) {
            alternation.append(i == 0 ? "" : "|").append("tok").append(i).append("z");
        }
        writeRule("large_regex.yml", "large-regex", "    sel: {CommandLine|re: '" + alternation + "'}\n"
                + "    condition: sel\n");
        StringBuilder values = new StringBuilder("    sel:\n        CommandLine|contains:\n");
        for (int i = 0; i < 100_000; i++) {
            values.append("            - 'needle-").append(i).append("-x'\n");
        }
        writeRule("contains_100k.yml", "contains-100k", values + "    condition: sel\n");

        DetectionModel model = loadBesideGoodRules();

        String prefix = "search identifier 'sel', field 'CommandLine|re': regex in 'CommandLine|re' ";
        assertThat(reasons(model)).containsOnly(
                Map.entry("backreference.yml", List.of(prefix + "uses a back-reference (\\1), which the "
                        + "linear-time regex engine cannot run")),
                Map.entry("lookahead.yml", List.of(prefix + "uses a look-ahead ((?=...)), which the linear-time "
                        + "regex engine cannot run")),
                Map.entry("nested_groups.yml", List.of(prefix + "nests groups deeper than 100 levels")),
                Map.entry("nested_repeats.yml", List.of(prefix + "unrolls to more than 100000 atoms (counted "
                        + "repetitions like {1000} multiply)")),
                Map.entry("long_regex.yml", List.of(prefix + "is 60001 characters long, more than the 4096 allowed")));
        assertThat(model.errors()).extracting(RuleError::id)
                .containsExactlyInAnyOrder("backreference", "lookahead", "nested-groups", "nested-repeats", "long-regex");

        int catastrophic = ruleIndex(model, "catastrophic");
        String a100k = "a".repeat(100_000);
        assertThat(assertTimeoutPreemptively(HANG, () -> matchedRules(model, processStart(a100k + "!"))))
                .doesNotContain(catastrophic);
        assertThat(matchedRules(model, processStart("b" + a100k))).contains(catastrophic);
        int large = ruleIndex(model, "large-regex");
        assertThat(matchedRules(model, processStart("a tok399z b"))).contains(large);
        assertThat(matchedRules(model, processStart("a tok400z b"))).doesNotContain(large);
        int contains = ruleIndex(model, "contains-100k");
        assertThat(matchedRules(model, processStart("run NEEDLE-99999-X now"))).contains(contains);
        assertThat(matchedRules(model, processStart("run needle-100000-x now"))).doesNotContain(contains);
    }

    // Placeholders multiply ---------------------------------------------------------------------------------------

    @Test
    void placeholderCombinationsAreCapped() throws IOException {
        MatchContext placeholders = new MatchContext(Map.of("p", List.of("a", "b")));
        writeRule("expand_bomb.yml", "expand-bomb", "    sel: {CommandLine|expand: '" + "%p%".repeat(30)
                + "'}\n    condition: sel\n");
        writeRule("expand_ok.yml", "expand-ok", "    sel: {CommandLine|expand: '" + "%p%".repeat(13)
                + "'}\n    condition: sel\n");

        DetectionModel model = loadBesideGoodRules(placeholders);

        assertThat(reasons(model)).containsOnly(Map.entry("expand_bomb.yml", List.of("search identifier 'sel', "
                + "field 'CommandLine|expand': 'CommandLine|expand' expands to more than 10000 values (each "
                + "placeholder multiplies them)")));
        assertThat(matchedRules(model, processStart("ab".repeat(6) + "a"))).contains(ruleIndex(model, "expand-ok"));
    }

    // 5. Identities and references -------------------------------------------------------------------------------

    @Test
    void duplicateIdsAndNamesSelfReferencesAndUnroutedInputsArePerRule() throws IOException {
        String whoami = "    sel: {Image|endswith: '\\whoami.exe'}\n    condition: sel\n";
        writeRule("a_first.yml", "twin-id", whoami);
        writeRule("b_same_id.yml", "twin-id", whoami);
        // a good rule's id taken again: the good rule, read first, keeps it
        writeRule("c_good_rules_id.yml", "5e7b9f30-1c2d-4a8e-8f6b-2a9d4c1e7f08", whoami);
        write("d_detection_and_correlation.yml", "title: detection\nid: shared-id\n" + RULE_PREFIX + whoami
                + "---\ntitle: correlation with the detection's id\nid: shared-id\n"
                + "correlation: {type: event_count, rules: [twin-id], group-by: [Computer], timespan: 1h,"
                + " condition: {gte: 5}}\n");
        write("e_names.yml", "title: one\nname: twin_name\n" + RULE_PREFIX + whoami
                + "---\ntitle: two\nname: twin_name\n" + RULE_PREFIX + whoami);
        write("f_self.yml", "title: self\nid: self-ref\nname: self_ref\n"
                + "correlation: {type: temporal, rules: [self_ref, twin-id], group-by: [Computer], timespan: 5m}\n");
        write("g_unrouted.yml", """
                title: linux rule
                name: linux_whoami
                logsource: {product: linux, category: process_creation}
                detection:
                    sel: {Image|endswith: '/whoami'}
                    condition: sel
                ---
                title: correlation on a rule no Windows event reaches
                id: on-unrouted
                correlation: {type: event_count, rules: [linux_whoami], group-by: [Computer], timespan: 1h,
                              condition: {gte: 2}}
                """);

        DetectionModel model = loadBesideGoodRules();

        String first = hostile.resolve("a_first.yml").toString();
        assertThat(reasons(model)).containsOnly(
                Map.entry("b_same_id.yml", List.of("duplicate id 'twin-id', already used in " + first)),
                Map.entry("c_good_rules_id.yml", List.of("duplicate id '5e7b9f30-1c2d-4a8e-8f6b-2a9d4c1e7f08', "
                        + "already used in " + GOOD_RULES.resolve("wer/wer_child_shell.yml"))),
                Map.entry("d_detection_and_correlation.yml", List.of("document 2: duplicate id 'shared-id', "
                        + "already used in " + hostile.resolve("d_detection_and_correlation.yml"))),
                Map.entry("e_names.yml", List.of("document 2: duplicate name 'twin_name', already used in "
                        + hostile.resolve("e_names.yml"))),
                Map.entry("f_self.yml", List.of("correlation chain loops back to itself")));
        assertThat(model.rule(ruleIndex(model, "twin-id")).path()).isEqualTo(first);
        assertThat(model.rule(ruleIndex(model, "shared-id")).title()).isEqualTo("detection");
        // valid Sigma: it loads, and never fires on Windows events (validate counts its rule as unrouted)
        assertThat(model.plans()).extracting(CorrelationPlan::label).contains("on-unrouted");
        assertThat(model.compiled().unroutedRules()).extracting(SigmaRule::name).containsExactly("linux_whoami");
        assertThat(matchedRules(model, TestEvent.of("Channel", "Microsoft-Windows-Sysmon/Operational", "EventID", 1,
                "Image", "/usr/bin/whoami"))).doesNotContain(ruleIndex(model, null, "linux_whoami"));
    }

    /** A Sysmon process start (routed to process_creation rules) with this command line. */
    private static TestEvent processStart(String commandLine) {
        return TestEvent.of("Channel", "Microsoft-Windows-Sysmon/Operational", "EventID", 1, "CommandLine", commandLine);
    }

    private static int ruleIndex(DetectionModel model, String id) {
        return ruleIndex(model, id, null);
    }

    private static int ruleIndex(DetectionModel model, String id, String name) {
        for (int i = 0; i < model.compiled().size(); i++) {
            SigmaRule rule = model.rule(i);
            if (id != null ? id.equals(rule.id()) : name.equals(rule.name())) {
                return i;
            }
        }
        throw new AssertionError("rule " + (id != null ? id : name) + " did not load");
    }

    private static List<Integer> matchedRules(DetectionModel model, dev.sigmacep.field.FieldSource event) {
        List<Integer> matched = new ArrayList<>();
        model.compiled().match(event, matched::add);
        return matched;
    }
}
