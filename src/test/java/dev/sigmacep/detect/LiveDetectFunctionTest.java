package dev.sigmacep.detect;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RuleSource;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detect operator whose rules change while it runs, driven by hand: an update takes effect for the events after
 * it, a bad one is refused on the status output and the rules before keep running, alerts carry their rule's
 * version, and a restored operator runs the rules it had.
 */
class LiveDetectFunctionTest {
    private static final String RULE = """
            title: cmd
            id: 00000000-0000-0000-0000-0000000000c1
            logsource: {product: windows, category: process_creation}
            detection: {sel: {Image|endswith: '\\\\cmd.exe'}, condition: sel}
            """;

    private static BroadcastOperatorTestHarness<Event, RuleUpdate, Alert> harness(OperatorSubtaskState restore)
            throws Exception {
        RuleSet rules = new RuleSet(List.of(new RuleSource("base.yml", RULE)), MatchContext.empty());
        BroadcastOperatorTestHarness<Event, RuleUpdate, Alert> harness = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(new LiveDetectFunction(rules, CorrelationOutputs.separate(rules.model().plans())),
                        List.of(LiveDetectFunction.UPDATES)), 1, 1, 0);
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        return harness;
    }

    private static StreamRecord<Event> process(String image, long millis) {
        Map<String, Object> fields = Map.of("EventID", 1, "Channel", "Microsoft-Windows-Sysmon/Operational",
                "Image", image, "Computer", "H1");
        return new StreamRecord<>(new Event(fields, "H1", millis * 1000, "test", "{\"image\":\"" + image + "\"}"), millis);
    }

    private static List<String> alerts(BroadcastOperatorTestHarness<Event, RuleUpdate, Alert> harness) {
        List<String> alerts = new ArrayList<>();
        for (Object output : harness.getOutput()) {
            if (output instanceof StreamRecord<?> record && record.getValue() instanceof Alert alert) {
                alerts.add(alert.ruleTitle() + " v" + alert.ruleVersion() + " " + alert.events().get(0));
            }
        }
        return alerts;
    }

    private static List<RuleStatus> statuses(BroadcastOperatorTestHarness<Event, RuleUpdate, Alert> harness) {
        List<RuleStatus> statuses = new ArrayList<>();
        harness.getSideOutput(LiveDetectFunction.STATUS).forEach(record -> statuses.add(record.getValue()));
        return statuses;
    }

    @Test
    void updatesTakeEffectForTheEventsAfterThemAndBadOnesAreRefused() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(null)) {
            harness.processElement(process("C:\\Windows\\System32\\cmd.exe", 1));
            harness.processElement(process("C:\\Windows\\System32\\whoami.exe", 2));
            harness.processBroadcastElement(new StreamRecord<>(new RuleUpdate("live/whoami.yml", """
                    title: whoami
                    id: 00000000-0000-0000-0000-0000000000c2
                    logsource: {product: windows, category: process_creation}
                    detection: {sel: {Image|endswith: '\\\\whoami.exe'}, condition: sel}
                    """), 3));
            harness.processBroadcastElement(new StreamRecord<>(new RuleUpdate("live/cmd.yml",
                    RULE.replace("title: cmd", "title: cmd v2")), 4));
            harness.processBroadcastElement(new StreamRecord<>(new RuleUpdate("live/broken.yml",
                    RULE.replace("endswith", "endswit")), 5));
            harness.processElement(process("C:\\Windows\\System32\\cmd.exe", 6));
            harness.processElement(process("C:\\Windows\\System32\\whoami.exe", 7));

            assertThat(alerts(harness)).containsExactly(
                    "cmd v1 {\"image\":\"C:\\Windows\\System32\\cmd.exe\"}",
                    "cmd v2 v2 {\"image\":\"C:\\Windows\\System32\\cmd.exe\"}",
                    "whoami v1 {\"image\":\"C:\\Windows\\System32\\whoami.exe\"}");
            assertThat(statuses(harness)).extracting(s -> s.origin() + " " + s.outcome() + " " + s.version())
                    .containsExactly("live/whoami.yml added 1", "live/cmd.yml replaced 2", "live/broken.yml rejected 0");
            assertThat(statuses(harness).get(2).reason()).contains("unknown modifier 'endswit'");
            snapshot = harness.snapshot(1, 10);
        }
        try (var restored = harness(snapshot)) {
            restored.processElement(process("C:\\Windows\\System32\\whoami.exe", 20));
            restored.processElement(process("C:\\Windows\\System32\\cmd.exe", 21));
            assertThat(alerts(restored)).containsExactly(
                    "whoami v1 {\"image\":\"C:\\Windows\\System32\\whoami.exe\"}",
                    "cmd v2 v2 {\"image\":\"C:\\Windows\\System32\\cmd.exe\"}");
        }
    }

    @Test
    void anEventTheRulesThrowOnIsADeadLetterAndTheOperatorGoesOn() throws Exception {
        try (var harness = harness(null)) {
            Object broken = new Object() { // no decoder makes such a value: reading it stands for a bug
                @Override
                public String toString() {
                    throw new IllegalStateException("injected bug");
                }
            };
            harness.processElement(new StreamRecord<>(new Event(Map.of("EventID", 1, "Channel",
                    "Microsoft-Windows-Sysmon/Operational", "Image", broken, "Computer", "H1"), "H1", 1000, "test",
                    "{\"broken\":true}"), 1));
            harness.processElement(process("C:\\Windows\\System32\\cmd.exe", 2));
            assertThat(alerts(harness)).containsExactly("cmd v1 {\"image\":\"C:\\Windows\\System32\\cmd.exe\"}");
            assertThat(harness.getSideOutput(DetectFunction.RULE_ERRORS)).extracting(r -> r.getValue().raw())
                    .containsExactly("{\"broken\":true}");
            assertThat(harness.getSideOutput(DetectFunction.RULE_ERRORS).peek().getValue().reason())
                    .startsWith("internal error: ").contains("java.lang.IllegalStateException: injected bug");
        }
    }
}
