package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RulePack;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-step joins ({@code correlation.join}): each step of a sequence joined to an earlier step by fields of its own,
 * e.g. a WER process (a), its child (b: ParentProcessGuid = a's ProcessGuid), the child's connection (c: ProcessGuid
 * = b's ProcessGuid). Planned from YAML as the job plans them, run by the CEP operator and then the one-alert-per-chain
 * operator, as the job wires them.
 */
class StepJoinsTest {
    private static final long SECOND = 1000;
    private static final String JOINED = """
                type: temporal_ordered
                rules: [a, b, c]
                group-by: [Computer]
                join:
                    b: {ParentProcessGuid: a.ProcessGuid}
                    c: {ProcessGuid: b.ProcessGuid}
                timespan: 1m
            """;

    private static List<String> errors(String correlation) {
        RulePack pack = PlannedFromYaml.pack(correlation);
        List<String> errors = new ArrayList<>(pack.errors().stream().map(RuleError::reason).toList());
        new CorrelationPlanner(pack.rules(), pack.correlations()).plan(pack.correlations()).errors()
                .forEach(error -> errors.add(error.reason()));
        return errors;
    }

    /** An event of the given role on host H: its own GUID and its parent's, as the router would enter it. */
    private static StreamRecord<CorrelationEvent> input(CorrelationPlan plan, int role, long seconds, String guid,
                                                        String parentGuid) {
        String raw = "{\"role\":" + role + ",\"t\":" + seconds + ",\"guid\":\"" + guid + "\"}";
        Map<String, Object> fields = new java.util.HashMap<>(Map.of("Computer", "H", "ProcessGuid", guid));
        if (parentGuid != null) {
            fields.put("ParentProcessGuid", parentGuid);
        }
        Event event = new Event(fields, "H", seconds * SECOND * 1000, "test", raw);
        List<String> values = plan.values(role, event);
        assertThat(values).as("join values of role %d", role).isNotNull();
        return new StreamRecord<>(new CorrelationEvent(List.of("H"), 1 << role, values, event), seconds * SECOND);
    }

    private record Step(int role, long second, String guid, String parentGuid) {
    }

    private static Step step(int role, long second, String guid, String parentGuid) {
        return new Step(role, second, guid, parentGuid);
    }

    /** The CEP operator's matches, each as its evidence GUIDs in order. */
    private static List<Alert> matches(CorrelationPlan plan, Step... steps) throws Exception {
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new CorrelationCepOperator(plan, CorrelationOperatorTest.INPUTS, null), CorrelationEvent::key, Types.STRING)) {
            harness.open();
            for (Step step : steps) {
                harness.processElement(input(plan, step.role, step.second, step.guid, step.parentGuid));
            }
            harness.processWatermark(Long.MAX_VALUE);
            return outputs(harness.getOutput());
        }
    }

    /** Matches through {@link OneAlertPerStartFunction}, keyed as the job keys it. */
    private static List<Alert> onePerChain(CorrelationPlan plan, List<Alert> matches) throws Exception {
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new OneAlertPerStartFunction(plan.timespan())),
                OneAlertPerStartFunction::key, Types.STRING)) {
            harness.open();
            for (Alert match : matches) {
                harness.processElement(new StreamRecord<>(match, match.lastEventMicros() / 1000));
            }
            harness.processWatermark(Long.MAX_VALUE);
            assertThat(harness.numKeyedStateEntries()).as("state after the timespans").isZero();
            return outputs(harness.getOutput());
        }
    }

    private static List<Alert> outputs(Iterable<Object> output) {
        List<Alert> alerts = new ArrayList<>();
        for (Object element : output) {
            if (element instanceof StreamRecord<?> record) {
                alerts.add((Alert) record.getValue());
            }
        }
        return alerts;
    }

    private static List<String> evidence(List<Alert> alerts) {
        return alerts.stream().map(alert -> String.join(" ", alert.events().stream()
                .map(event -> event.replaceAll(".*\"guid\":\"([^\"]*)\".*", "$1")).toList())).toList();
    }

    @Test
    void twoProcessTreesOnOneHostEachCompleteTheirOwnChain() throws Exception {
        CorrelationPlan plan = PlannedFromYaml.plan(JOINED);
        assertThat(plan.joins().fields()).containsExactly("ParentProcessGuid", "ProcessGuid");
        // tree 1 starts first and completes last: a match of tree 2 must not end tree 1's partial match
        List<Alert> matches = matches(plan,
                step(0, 0, "g1", "p"), step(0, 10, "g2", "p"),
                step(1, 20, "c2", "g2"), step(2, 30, "c2", null),
                step(1, 40, "c1", "g1"), step(2, 50, "c1", null));
        assertThat(evidence(matches)).containsExactly("g2 c2 c2", "g1 c1 c1");
        assertThat(onePerChain(plan, matches)).hasSize(2);
    }

    @Test
    void aStepJoinsTheStepItNamesNotAnother() throws Exception {
        CorrelationPlan plan = PlannedFromYaml.plan(JOINED);
        assertThat(evidence(matches(plan,
                step(0, 0, "g1", "p"),
                step(1, 5, "c1", "elsewhere"),   // not a child of g1
                step(1, 10, "c2", "g1"),
                step(2, 15, "g1", null),         // the WER process's own connection: c joins b, not a
                step(2, 20, "c9", null)))).isEmpty();
    }

    @Test
    void aChainThatCompletesSeveralWaysGivesOneAlert() throws Exception {
        CorrelationPlan plan = PlannedFromYaml.plan(JOINED);
        // two children of g1, and three connections of theirs: the CEP pattern keeps every way
        List<Alert> matches = matches(plan,
                step(0, 0, "g1", "p"), step(1, 5, "c1", "g1"), step(1, 6, "c2", "g1"),
                step(2, 10, "c2", null), step(2, 11, "c1", null), step(2, 12, "c2", null));
        assertThat(evidence(matches)).containsExactly("g1 c2 c2", "g1 c1 c1", "g1 c2 c2");
        assertThat(evidence(onePerChain(plan, matches))).containsExactly("g1 c2 c2");
    }

    @Test
    void aChainPastItsTimespanDoesNotComplete() throws Exception {
        CorrelationPlan plan = PlannedFromYaml.plan(JOINED);
        assertThat(matches(plan, step(0, 0, "g1", "p"), step(1, 30, "c1", "g1"), step(2, 60, "c1", null))).isEmpty();
        assertThat(matches(plan, step(0, 0, "g1", "p"), step(1, 30, "c1", "g1"), step(2, 59, "c1", null))).hasSize(1);
    }

    @Test
    void anUntilRuleWithAJoinEndsOnlyItsOwnChain() throws Exception {
        CorrelationPlan joinedUntil = PlannedFromYaml.plan("""
                    type: temporal_ordered
                    rules: [a, b, c]
                    until: x
                    group-by: [Computer]
                    join:
                        b: {ParentProcessGuid: a.ProcessGuid}
                        c: {ProcessGuid: b.ProcessGuid}
                        x: {ProcessGuid: a.ProcessGuid}
                    timespan: 1m
                """);
        // x is the WER process exiting: g1 exits before its child connects, g2's exit (another process) is not g1's
        assertThat(evidence(matches(joinedUntil,
                step(0, 0, "g1", "p"), step(0, 1, "g2", "p"), step(1, 5, "c1", "g1"), step(1, 6, "c2", "g2"),
                step(3, 7, "g1", null),
                step(2, 10, "c1", null), step(2, 11, "c2", null)))).containsExactly("g2 c2 c2");
    }

    @Test
    void joinsThePatternCannotKeepAreRejectedWithAReason() {
        String base = "    rules: [a, b, c]\n    group-by: [Computer]\n    timespan: 1m\n";
        assertThat(errors("    type: temporal\n" + base + "    join:\n        b: {ParentProcessGuid: a.ProcessGuid}\n"))
                .containsExactly("document 5: correlation.join is for temporal_ordered correlations (a join needs the order of the"
                        + " steps), not temporal");
        assertThat(errors("    type: temporal_ordered\n" + base + "    join:\n        a: {ProcessGuid: b.ProcessGuid}\n"))
                .containsExactly("document 5: correlation.join.a: 'a' is not a step after the first of correlation.rules [a, b, c]"
                        + " nor a correlation.until rule");
        assertThat(errors("    type: temporal_ordered\n" + base + "    join:\n        b: {ProcessGuid: c.ProcessGuid}\n"))
                .containsExactly("document 5: correlation.join.b.ProcessGuid: 'c.ProcessGuid' must name a rule listed before 'b'"
                        + " in correlation.rules and one of its fields (rule.field)");
        assertThat(errors("    type: temporal_ordered\n" + base + "    condition: a and not b and c\n"
                + "    join:\n        c: {ProcessGuid: b.ProcessGuid}\n"))
                .containsExactly("join c.ProcessGuid = b.ProcessGuid: 'b' is negated in the condition, so no event of it"
                        + " is in a match to join to");
    }

    @Test
    void aSequenceWithoutJoinsKeepsItsPatternAndCarriesNoValues() throws Exception {
        CorrelationPlan plan = PlannedFromYaml.plan("    type: temporal_ordered\n    rules: [a, b]\n    group-by: [Computer]\n"
                + "    timespan: 1m\n");
        assertThat(plan.joins().isEmpty()).isTrue();
        assertThat(CorrelationPatterns.compile(plan).getAfterMatchSkipStrategy().toString())
                .isEqualTo("SkipPastLastStrategy{}");
        Event event = new Event(Map.of("Computer", "H", "ProcessGuid", "g"), "H", 0, "test", "{}");
        assertThat(plan.values(0, event)).isEmpty();
        // an event without the field its step joins on never enters: it could not take the step
        CorrelationPlan joined = PlannedFromYaml.plan(JOINED);
        assertThat(joined.values(1, event)).isNull();
        assertThat(joined.values(0, event)).containsExactly("", "g");
        assertThat(joined.timespan()).isEqualTo(Duration.ofMinutes(1));
    }
}
