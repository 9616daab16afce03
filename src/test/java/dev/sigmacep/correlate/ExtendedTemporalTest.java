package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.rule.RuleError;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Temporal correlations beyond the specification's counts of rules: extended conditions (SEP 198) with {@code or} and
 * {@code not}, absence between two steps of a sequence, and {@code until} rules that end partial matches; planned
 * from YAML as the job plans them, each run by the operator the plan picks (CEP or a keyed window).
 */
class ExtendedTemporalTest {
    private static final long SECOND = 1000;

    private static KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness(CorrelationPlan plan)
            throws Exception {
        OneInputStreamOperator<CorrelationEvent, Alert> operator = plan.usesCep()
                ? new CorrelationCepOperator(plan, CorrelationOperatorTest.INPUTS, null)
                : new KeyedProcessOperator<>(new AggregateCorrelationFunction(plan, CorrelationOperatorTest.LATE));
        KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Alert> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(operator, CorrelationEvent::key, Types.STRING);
        harness.open();
        return harness;
    }

    /** An event of role {@code role} (its position among rules, then until rules) on host H at the given second. */
    private static StreamRecord<CorrelationEvent> input(int role, long seconds) {
        String raw = "{\"role\":" + role + ",\"t\":" + seconds + "}";
        Event event = new Event(Map.of("Computer", "H"), "H", seconds * SECOND * 1000, "test", raw);
        return new StreamRecord<>(new CorrelationEvent(List.of("H"), 1 << role, event), seconds * SECOND);
    }

    private static List<String> run(CorrelationPlan plan, int[][] roleAndSecond) throws Exception {
        try (var harness = harness(plan)) {
            for (int[] event : roleAndSecond) {
                harness.processElement(input(event[0], event[1]));
            }
            harness.processWatermark(Long.MAX_VALUE);
            List<String> alerts = new ArrayList<>();
            for (Object output : harness.getOutput()) {
                if (output instanceof StreamRecord<?> record) {
                    alerts.add(String.join(" ", ((Alert) record.getValue()).events()));
                }
            }
            return alerts;
        }
    }

    private static final String BASE = "    group-by: [Computer]\n    timespan: 1m\n";

    @Test
    void anOrInTheConditionFiresOnEitherBranch() throws Exception {
        CorrelationPlan plan = PlannedFromYaml.plan("    type: temporal\n    rules: [a, b, c]\n" + BASE + "    condition: a and (b or c)\n");
        assertThat(plan.usesCep()).isFalse();
        assertThat(plan.checkedAtClose()).isFalse();
        assertThat(run(plan, new int[][]{{2, 0}, {0, 10}, {0, 100}, {1, 130}}))
                .containsExactly("{\"role\":2,\"t\":0} {\"role\":0,\"t\":10}",
                        "{\"role\":0,\"t\":100} {\"role\":1,\"t\":130}");
    }

    @Test
    void anAbsenceIsJudgedWhenTheSpanCloses() throws Exception {
        CorrelationPlan plan = PlannedFromYaml.plan("    type: temporal\n    rules: [a, b]\n" + BASE + "    condition: a and not b\n");
        assertThat(plan.checkedAtClose()).isTrue();
        // span 1 (0-60 s): a and b, no alert; span 2 (from 70 s): a alone, an alert when it closes
        assertThat(run(plan, new int[][]{{0, 0}, {1, 30}, {0, 70}})).containsExactly("{\"role\":0,\"t\":70}");
    }

    @Test
    void aSequenceWithNothingOfARuleBetweenTwoSteps() throws Exception {
        CorrelationPlan plan = PlannedFromYaml.plan("    type: temporal_ordered\n    rules: [a, b, c]\n" + BASE
                + "    condition: a and not b and c\n");
        assertThat(plan.usesCep()).isTrue();
        // a, b, c: b between a and c, no alert; then a, c with no b between: an alert
        assertThat(run(plan, new int[][]{{0, 0}, {1, 5}, {2, 10}, {0, 100}, {2, 110}, {1, 120}}))
                .containsExactly("{\"role\":0,\"t\":100} {\"role\":2,\"t\":110}");
    }

    @Test
    void anUntilRuleEndsPartialMatchesOfASequence() throws Exception {
        CorrelationPlan plan = PlannedFromYaml.plan("    type: temporal_ordered\n    rules: [a, b]\n" + BASE + "    until: x\n");
        assertThat(plan.roleCount()).isEqualTo(3);
        assertThat(plan.untilRoles()).isEqualTo(0b100);
        // a, x (the process exits), b: no alert; a, b: an alert
        assertThat(run(plan, new int[][]{{0, 0}, {2, 5}, {1, 10}, {0, 100}, {1, 110}}))
                .containsExactly("{\"role\":0,\"t\":100} {\"role\":1,\"t\":110}");
    }

    @Test
    void anUntilRuleEndsPartialMatchesOfAnUnorderedCorrelationAndACount() throws Exception {
        CorrelationPlan unordered = PlannedFromYaml.plan("    type: temporal\n    rules: [a, b]\n" + BASE + "    until: [x]\n");
        assertThat(unordered.usesCep()).isFalse();
        assertThat(run(unordered, new int[][]{{0, 0}, {2, 5}, {1, 10}, {1, 100}, {0, 110}}))
                .containsExactly("{\"role\":1,\"t\":100} {\"role\":0,\"t\":110}");

        CorrelationPlan count = PlannedFromYaml.plan("    type: event_count\n    rules: [a]\n" + BASE
                + "    condition: {gte: 2}\n    until: x\n");
        assertThat(run(count, new int[][]{{0, 0}, {1, 5}, {0, 10}, {0, 20}})).containsExactly("{\"role\":0,\"t\":20}");
    }

    @Test
    void sequencesTheirPatternCannotSayAreRejectedWithAReason() {
        assertThat(PlannedFromYaml.planned("    type: temporal_ordered\n    rules: [a, b, c]\n" + BASE
                + "    condition: a and (b or c)\n").errors()).extracting(RuleError::reason).containsExactly(
                "the condition of a temporal_ordered correlation must name each of its rules once, joined by 'and',"
                        + " each alone or after 'not' (e.g. 'a and not b and c')");
        assertThat(PlannedFromYaml.planned("    type: temporal_ordered\n    rules: [a, b]\n" + BASE
                + "    condition: a and not b\n").errors()).extracting(RuleError::reason).containsExactly(
                "a negated rule must lie between two rules of the sequence: an absence before the first or after the"
                        + " last step is not supported yet");
        assertThat(PlannedFromYaml.planned("    type: temporal_ordered\n    rules: [a, b, c]\n" + BASE
                + "    condition: a and c\n").errors()).extracting(RuleError::reason).containsExactly(
                "the condition of a temporal_ordered correlation must name each of its rules once; it names [a, c] of"
                        + " [a, b, c]");
    }
}
