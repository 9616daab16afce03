package dev.sigmacep.detect;

import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.correlate.CorrelationPlan;
import dev.sigmacep.correlate.RecordReference;
import dev.sigmacep.correlate.SharedInput;
import dev.sigmacep.event.Event;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where detection sends each correlation's inputs: a side output per correlation, except for the sequence
 * correlations that share an exchange, whose inputs from one event leave together on its side output as one
 * {@link SharedInput} per partition value, so the event's record is serialized and read once (in BATCH also sorted
 * once). In BATCH ({@link #sharing}) a record that the event's source can read back from its file crosses as its
 * {@link RecordReference}. Not thread-safe: one per detect operator instance.
 */
public final class CorrelationOutputs implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Side outputs of a Flink context: {@code ctx::output}. */
    public interface SideOutputs {
        <X> void output(OutputTag<X> tag, X value);
    }

    private final List<OutputTag<CorrelationEvent>> ownTags; // per plan; null for a plan that shares
    private final int[] shareOf; // per plan, its shared operator, or -1
    private final int[] memberOf; // per plan, its position in its shared operator, or -1
    private final List<List<Integer>> shared; // per shared operator, its plans
    private final List<OutputTag<SharedInput>> sharedTags;
    private final boolean byReference;

    private transient List<List<Integer>> pendingMembers;
    private transient List<List<CorrelationEvent>> pendingInputs;

    private CorrelationOutputs(List<CorrelationPlan> plans, List<List<Integer>> shared, boolean byReference) {
        this.shared = shared;
        this.byReference = byReference;
        this.shareOf = new int[plans.size()];
        this.memberOf = new int[plans.size()];
        Arrays.fill(shareOf, -1);
        Arrays.fill(memberOf, -1);
        this.sharedTags = new ArrayList<>();
        for (int s = 0; s < shared.size(); s++) {
            List<Integer> members = shared.get(s);
            for (int m = 0; m < members.size(); m++) {
                shareOf[members.get(m)] = s;
                memberOf[members.get(m)] = m;
            }
            sharedTags.add(new OutputTag<>("shared-correlation-" + s, TypeInformation.of(SharedInput.class)));
        }
        this.ownTags = new ArrayList<>();
        for (int p = 0; p < plans.size(); p++) {
            ownTags.add(shareOf[p] >= 0 ? null
                    : new OutputTag<>("correlation-" + plans.get(p).label(), TypeInformation.of(CorrelationEvent.class)));
        }
    }

    /** A side output per correlation. */
    public static CorrelationOutputs separate(List<CorrelationPlan> plans) {
        return new CorrelationOutputs(plans, List.of(), false);
    }

    /**
     * BATCH: sequence correlations (CEP) that take only detection matches and group by the same first field share an
     * exchange keyed by that field's value, when there are at least two of them. Correlations built on other
     * correlations' alerts keep their own, as their inputs come from an operator downstream of detection. A record
     * its event knows the position of ({@link RecordReference#of}) crosses as that reference.
     */
    public static CorrelationOutputs sharing(List<CorrelationPlan> plans) {
        return sharing(plans, 2, true);
    }

    /**
     * STREAMING: as {@link #sharing}, but a sequence that shares its first group-by field with no other goes through
     * such an exchange too, alone: its operators (and their savepoint state) then stay the same whatever correlations
     * are added or removed beside it. Records always cross themselves: the exchange's data may end in a checkpoint.
     */
    public static CorrelationOutputs byPartition(List<CorrelationPlan> plans) {
        return sharing(plans, 1, false);
    }

    private static CorrelationOutputs sharing(List<CorrelationPlan> plans, int minimumMembers, boolean byReference) {
        Map<String, List<Integer>> byFirstField = new LinkedHashMap<>();
        for (int p = 0; p < plans.size(); p++) {
            CorrelationPlan plan = plans.get(p);
            if (plan.usesCep() && !plan.groupBy().isEmpty() && !buildsOnCorrelations(plan)) {
                byFirstField.computeIfAbsent(plan.groupBy().get(0), field -> new ArrayList<>()).add(p);
            }
        }
        List<List<Integer>> shared = new ArrayList<>();
        byFirstField.values().stream().filter(members -> members.size() >= minimumMembers).map(List::copyOf)
                .forEach(shared::add);
        return new CorrelationOutputs(plans, List.copyOf(shared), byReference);
    }

    private static boolean buildsOnCorrelations(CorrelationPlan plan) {
        for (int role = 0; role < plan.roleCount(); role++) {
            if (plan.roleCorrelation(role) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The shared operator a correlation's inputs go to, or -1 when it has a side output of its own. */
    public int sharedOperator(int plan) { return shareOf[plan]; }

    /** The plans of a shared operator, by their index among the plans, in the order of its members. */
    public List<Integer> members(int operator) { return shared.get(operator); }

    /** The side output of a correlation that does not share, else null. */
    public OutputTag<CorrelationEvent> own(int plan) { return ownTags.get(plan); }

    /** The side output of a shared operator. */
    public OutputTag<SharedInput> shared(int operator) { return sharedTags.get(operator); }

    /** Sends a correlation input, or keeps it for {@link #endEvent} when its correlation shares an operator. */
    public void emit(int plan, CorrelationEvent input, SideOutputs out) {
        int operator = shareOf[plan];
        if (operator < 0) {
            out.output(ownTags.get(plan), input);
            return;
        }
        if (pendingInputs == null) {
            pendingMembers = new ArrayList<>();
            pendingInputs = new ArrayList<>();
            for (int s = 0; s < shared.size(); s++) {
                pendingMembers.add(new ArrayList<>());
                pendingInputs.add(new ArrayList<>());
            }
        }
        pendingMembers.get(operator).add(memberOf[plan]);
        pendingInputs.get(operator).add(input);
    }

    /**
     * Sends what the event's inputs into shared operators make: one {@link SharedInput} per partition value.
     *
     * @param event the event whose inputs {@link #emit} was given since the last call
     */
    public void endEvent(Event event, SideOutputs out) {
        if (pendingInputs == null) {
            return;
        }
        RecordReference reference = null; // made with the event's first shared input: the others share it
        for (int s = 0; s < shared.size(); s++) {
            List<CorrelationEvent> inputs = pendingInputs.get(s);
            if (inputs.isEmpty()) {
                continue;
            }
            List<Integer> members = pendingMembers.get(s);
            if (byReference && reference == null) {
                reference = RecordReference.of(event);
            }
            // per partition value, in the order of its first input, its inputs in their order; plain loops, as this
            // runs for every event that feeds a sequence (a few inputs: a stream pipeline cost more than the work)
            boolean[] sent = new boolean[inputs.size()];
            for (int first = 0; first < inputs.size(); first++) {
                if (sent[first]) {
                    continue;
                }
                String partition = SharedInput.partition(inputs.get(first));
                List<CorrelationEvent> together = new ArrayList<>(inputs.size() - first);
                int[] their = new int[inputs.size() - first];
                for (int i = first; i < inputs.size(); i++) {
                    if (!sent[i] && partition.equals(SharedInput.partition(inputs.get(i)))) {
                        sent[i] = true;
                        their[together.size()] = members.get(i);
                        together.add(inputs.get(i));
                    }
                }
                out.output(sharedTags.get(s), new SharedInput(Arrays.copyOf(their, together.size()), together,
                        reference));
            }
            inputs.clear();
            members.clear();
        }
    }
}
