package dev.sigmacep.detect;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.event.Event;
import dev.sigmacep.metrics.JobCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Detection whose rules change while the job runs: {@link DetectFunction}'s work on the events, and rule updates on
 * a broadcast input, each validated ({@link LiveRules}) before it takes effect. The accepted updates, in order, are
 * the broadcast state, so a restored job (or a new subtask) replays them onto the rules as deployed. Every update
 * gets a status per rule on {@link #STATUS} (from subtask 0 only: every subtask sees every update), and every alert
 * the version of its rule. Events on which a rule threw leave on {@link DetectFunction#RULE_ERRORS}.
 */
public final class LiveDetectFunction extends BroadcastProcessFunction<Event, RuleUpdate, Alert> {
    /** The accepted updates, by the order in which they were accepted. */
    public static final MapStateDescriptor<Long, RuleUpdate> UPDATES =
            new MapStateDescriptor<>("rule-updates", Types.LONG, TypeInformation.of(RuleUpdate.class));
    public static final OutputTag<RuleStatus> STATUS =
            new OutputTag<>("rule-status", TypeInformation.of(RuleStatus.class));
    private static final Logger LOG = LoggerFactory.getLogger(LiveDetectFunction.class);

    private final RuleSet rules;
    private final CorrelationOutputs correlationOutputs;

    private transient LiveRules live;
    private transient Detector detector;
    private transient long applied;
    private transient boolean caughtUp;
    private transient Detector.Counters counters;
    private transient JobCounter accepted;
    private transient JobCounter rejected;

    /** @param correlationOutputs where the inputs of the plans of {@code rules.model().plans()} go */
    public LiveDetectFunction(RuleSet rules, CorrelationOutputs correlationOutputs) {
        this.rules = rules;
        this.correlationOutputs = correlationOutputs;
    }

    @Override
    public void open(OpenContext openContext) {
        live = LiveRules.deployed(rules.sources(), rules.context());
        detector = new Detector(live.model());
        applied = 0;
        caughtUp = false;
        counters = new Detector.Counters(getRuntimeContext());
        accepted = JobCounter.register(getRuntimeContext(), "rules.updates-accepted");
        rejected = JobCounter.register(getRuntimeContext(), "rules.updates-rejected");
    }

    @Override
    public void processElement(Event event, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        if (!caughtUp) {
            catchUp(ctx.getBroadcastState(UPDATES));
        }
        LiveRules current = live;
        detector.detect(event,
                (rule, alert) -> out.collect(alert.withRuleVersion(current.version(rule))),
                (plan, input) -> correlationOutputs.emit(plan, input, ctx::output),
                deadLetter -> ctx.output(DetectFunction.RULE_ERRORS, deadLetter), counters);
        correlationOutputs.endEvent(event, ctx::output);
    }

    @Override
    public void processBroadcastElement(RuleUpdate update, Context ctx, Collector<Alert> out) throws Exception {
        BroadcastState<Long, RuleUpdate> state = ctx.getBroadcastState(UPDATES);
        if (!caughtUp) {
            catchUp(state);
        }
        LiveRules.Outcome outcome = live.apply(update);
        boolean reporter = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        for (RuleStatus status : outcome.statuses()) {
            if (reporter) {
                ctx.output(STATUS, status);
                if (status.rejected()) {
                    LOG.warn("rule update {} rejected for rule {}: {}", status.origin(), status.rule(), status.reason());
                } else {
                    LOG.info("rule update {}: rule {} {}, version {}", status.origin(), status.rule(), status.outcome(),
                            status.version());
                }
            }
        }
        if (outcome.next() == null) {
            rejected.inc();
            return;
        }
        state.put(applied, update);
        use(outcome.next());
        applied++;
        accepted.inc();
    }

    private void use(LiveRules next) {
        live = next;
        detector = new Detector(next.model());
    }

    /**
     * After a restore the broadcast state holds the updates accepted before: apply them in order, once (later ones
     * arrive through {@link #processBroadcastElement}).
     */
    private void catchUp(ReadOnlyBroadcastState<Long, RuleUpdate> state) throws Exception {
        caughtUp = true;
        List<Map.Entry<Long, RuleUpdate>> updates = new ArrayList<>();
        for (Map.Entry<Long, RuleUpdate> entry : state.immutableEntries()) {
            if (entry.getKey() >= applied) {
                updates.add(entry);
            }
        }
        if (updates.isEmpty()) {
            return;
        }
        updates.sort(Map.Entry.comparingByKey());
        for (Map.Entry<Long, RuleUpdate> entry : updates) {
            LiveRules.Outcome outcome = live.apply(entry.getValue());
            if (outcome.next() != null) {
                use(outcome.next());
            } else { // the rules deployed with this release no longer take it
                LOG.warn("rule update {} from the restored state no longer applies: {}", entry.getValue().origin(),
                        outcome.statuses());
            }
            applied = entry.getKey() + 1;
        }
    }
}
