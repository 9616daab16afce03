package dev.sigmacep.sigma.route;

import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.CompiledRule;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.testing.TestEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The prefilter agrees with brute force on values real events rarely hold: lists, numbers, booleans, non-ASCII. */
class PrefilterEdgeCasesTest {
    private static final String SYSMON = "Microsoft-Windows-Sysmon/Operational";

    private static final List<CompiledRule> RULES = new RuleLoader(MatchContext.empty()).load(
            List.of(new RuleSource("r.yml", """
                    title: list element
                    logsource: {product: windows, category: process_creation}
                    detection: {sel: {Tags|contains: 'evil-tag'}, condition: sel}
                    ---
                    title: number by its string form
                    logsource: {product: windows, category: process_creation}
                    detection: {sel: {ProcessId|endswith: '4242'}, condition: sel}
                    ---
                    title: exact number
                    logsource: {product: windows, category: process_creation}
                    detection: {sel: {ProcessId: 77}, condition: sel}
                    ---
                    title: boolean
                    logsource: {product: windows, category: process_creation}
                    detection: {sel: {Elevated: 'true'}, condition: sel}
                    ---
                    title: keyword anywhere
                    logsource: {product: windows}
                    detection: {keywords: ['sekurlsa::'], condition: keywords}
                    ---
                    title: homoglyph
                    logsource: {product: windows, category: process_creation}
                    detection: {sel: {Image|contains: 'а'}, condition: sel}
                    ---
                    title: cased
                    logsource: {product: windows, category: process_creation}
                    detection: {sel: {CommandLine|contains|cased: 'MiniDump'}, condition: sel}
                    """))).compiled();
    private static final CompiledRulePack PACK = CompiledRulePack.compile(RULES);

    private static List<TestEvent> events() {
        List<TestEvent> events = new ArrayList<>();
        for (Object tags : new Object[] {List.of("a", "EVIL-TAG"), List.of(List.of("x", "evil-tag")), "evil-tag", 42}) {
            events.add(TestEvent.of("Channel", SYSMON, "EventID", 1, "Tags", tags));
        }
        for (Object pid : new Object[] {4242, 14242L, "4242", 4242.0, 77, 77L, "77", 770, (short) 77}) {
            events.add(TestEvent.of("Channel", SYSMON, "EventID", 1, "ProcessId", pid));
        }
        for (Object elevated : new Object[] {true, false, "TRUE", List.of(false, true)}) {
            events.add(TestEvent.of("Channel", SYSMON, "EventID", 1, "Elevated", elevated));
        }
        for (Object any : new Object[] {"x SEKURLSA::logonpasswords", List.of("sekurlsa::"), 7}) {
            events.add(TestEvent.of("Channel", "Security", "EventID", 4688, "Whatever", any));
        }
        for (String image : new String[] {"C:\\Tools\\pаyload.exe", "C:\\Tools\\PАYLOAD.exe", "C:\\Tools\\payload.exe"}) {
            events.add(TestEvent.of("Channel", SYSMON, "EventID", 1, "Image", image));
        }
        for (String commandLine : new String[] {"rundll32 comsvcs MiniDump", "rundll32 comsvcs minidump"}) {
            events.add(TestEvent.of("Channel", SYSMON, "EventID", 1, "CommandLine", commandLine));
        }
        return events;
    }

    @Test
    void matchesExactlyWhatBruteForceMatches() {
        int matched = 0;
        for (TestEvent event : events()) {
            List<Integer> expected = new ArrayList<>();
            for (int index : PACK.candidates(event)) {
                if (RULES.get(index).matches(event)) {
                    expected.add(index);
                }
            }
            List<Integer> actual = new ArrayList<>();
            PACK.match(event, actual::add);
            assertThat(actual).as("%s", event).isEqualTo(expected);
            matched += expected.size();
        }
        assertThat(matched).isGreaterThanOrEqualTo(12);
    }

    @Test
    void equalValuesInConsecutiveEventsMatchAsTheFirstDid() {
        String many = "evil-tag ".repeat(300); // more occurrences than a remembered scan keeps
        String[] commandLines = {"a MiniDump", "a MiniDump", "a minidump", "a MiniDump", many, many, "x", many};
        List<Integer> counts = new ArrayList<>();
        for (String commandLine : commandLines) {
            TestEvent event = TestEvent.of("Channel", SYSMON, "EventID", 1,
                    "CommandLine", new String(commandLine), "Tags", new String(commandLine));
            List<Integer> actual = new ArrayList<>();
            PACK.match(event, actual::add);
            counts.add(actual.size());
        }
        assertThat(counts).containsExactly(1, 1, 0, 1, 1, 1, 0, 1);
    }

    @Test
    void aSinkMayMatchAgainFromInsideTheSink() {
        TestEvent outer = TestEvent.of("Channel", SYSMON, "EventID", 1, "CommandLine", "x MiniDump", "Tags", "evil-tag");
        TestEvent inner = TestEvent.of("Channel", SYSMON, "EventID", 1, "ProcessId", 77);
        List<String> seen = new ArrayList<>();
        PACK.match(outer, index -> {
            seen.add(PACK.rule(index).title());
            PACK.match(inner, nested -> seen.add("nested " + PACK.rule(nested).title()));
        });
        assertThat(seen).containsExactly("list element", "nested exact number", "cased", "nested exact number");
    }
}
