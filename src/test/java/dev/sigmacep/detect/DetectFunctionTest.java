package dev.sigmacep.detect;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.event.DeadLetter;
import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RuleSource;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.sigmacep.testing.Accumulators.counted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detect operator driven by hand: single-event alerts leave on the main output, a correlation's inputs on its
 * side output, and an event the rules throw on (a bug) leaves as a dead letter with the error, counted, while the
 * operator goes on with the next event.
 */
class DetectFunctionTest {
    private static final String SYSMON = "Microsoft-Windows-Sysmon/Operational";
    private static final String RULES = """
            title: cmd
            id: 00000000-0000-0000-0000-0000000000d1
            logsource: {product: windows, category: process_creation}
            detection: {sel: {Image|endswith: '\\\\cmd.exe'}, condition: sel}
            ---
            title: whoami
            name: whoami_run
            id: 00000000-0000-0000-0000-0000000000d2
            logsource: {product: windows, category: process_creation}
            detection: {sel: {CommandLine|contains: whoami}, condition: sel}
            ---
            title: many whoami
            id: 00000000-0000-0000-0000-0000000000d3
            correlation: {type: event_count, rules: [whoami_run], group-by: [User], timespan: 10m,
                          condition: {gte: 3}}
            """;
    private static final OutputTag<CorrelationEvent> CORRELATION =
            new OutputTag<>("correlation-00000000-0000-0000-0000-0000000000d3", TypeInformation.of(CorrelationEvent.class));

    private static OneInputStreamOperatorTestHarness<Event, Alert> harness() throws Exception {
        RuleSet rules = new RuleSet(List.of(new RuleSource("rules.yml", RULES)), MatchContext.empty());
        assertThat(rules.model().errors()).isEmpty();
        assertThat(rules.model().plans()).hasSize(1);
        var harness = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new DetectFunction(rules, CorrelationOutputs.separate(rules.model().plans()))));
        harness.open();
        return harness;
    }

    private static StreamRecord<Event> process(long millis, Object commandLine) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("EventID", 1);
        fields.put("Channel", SYSMON);
        fields.put("Image", "C:\\Windows\\System32\\cmd.exe");
        fields.put("CommandLine", commandLine);
        fields.put("User", "CORP\\alice");
        fields.put("Computer", "H1");
        return new StreamRecord<>(new Event(fields, "H1", millis * 1000, "test", "{\"t\":" + millis + "}"), millis);
    }

    /** A value no decoder makes, whose reading throws: stands for a bug met while evaluating this event. */
    private static final Object BROKEN = new Object() {
        @Override
        public String toString() {
            throw new IllegalStateException("injected bug");
        }
    };

    private static List<String> alerts(OneInputStreamOperatorTestHarness<Event, Alert> harness) {
        List<String> alerts = new ArrayList<>();
        for (Object output : harness.getOutput()) {
            if (output instanceof StreamRecord<?> record && record.getValue() instanceof Alert alert) {
                alerts.add(alert.ruleTitle() + " " + alert.events().get(0));
            }
        }
        return alerts;
    }

    private static <T> List<T> side(OneInputStreamOperatorTestHarness<Event, Alert> harness, OutputTag<T> tag) {
        var records = harness.getSideOutput(tag);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }


    @Test
    void alertsLeaveOnTheMainOutputAndCorrelationInputsOnTheirSideOutput() throws Exception {
        try (var harness = harness()) {
            harness.processElement(process(1, "cmd.exe /c dir"));
            harness.processElement(process(2, "cmd.exe /c whoami"));
            // whoami feeds a correlation only: no alert of its own, an input of the correlation
            assertThat(alerts(harness)).containsExactly("cmd {\"t\":1}", "cmd {\"t\":2}");
            assertThat(side(harness, CORRELATION)).extracting(CorrelationEvent::key, CorrelationEvent::timeMicros)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(CorrelationEvent.key(List.of("CORP\\alice")),
                            2000L));
            assertThat(counted(harness, "detect.matched-events")).isEqualTo(2);
            assertThat(side(harness, DetectFunction.RULE_ERRORS)).isEmpty();
        }
    }

    @Test
    void anEventTheRulesThrowOnIsADeadLetterWithTheErrorAndTheNextEventIsDetected() throws Exception {
        try (var harness = harness()) {
            harness.processElement(process(1, BROKEN));
            harness.processElement(process(2, "cmd.exe /c whoami"));
            assertThat(alerts(harness)).containsExactly("cmd {\"t\":2}");
            assertThat(side(harness, CORRELATION)).hasSize(1);
            List<DeadLetter> deadLetters = side(harness, DetectFunction.RULE_ERRORS);
            assertThat(deadLetters).hasSize(1);
            DeadLetter deadLetter = deadLetters.get(0);
            assertThat(deadLetter.internal()).isTrue();
            assertThat(deadLetter.reason()).isEqualTo(DeadLetter.INTERNAL_ERROR
                    + "rule evaluation failed on this record, no rule evaluated it:"
                    + " java.lang.IllegalStateException: injected bug;"
                    + " a bug of the rule engine: its stack trace is in the task manager's log");
            assertThat(deadLetter.raw()).isEqualTo("{\"t\":1}");
            assertThat(counted(harness, "detect.internal-errors")).isEqualTo(1);
            assertThat(counted(harness, "detect.matched-events")).isEqualTo(1);
        }
    }
}
