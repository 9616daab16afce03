package dev.sigmacep.job;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.correlate.AggregateCorrelationFunction;
import dev.sigmacep.correlate.CappedAggregateOperator;
import dev.sigmacep.correlate.CappedCepOperator;
import dev.sigmacep.correlate.ChainedInputFunction;
import dev.sigmacep.correlate.EventTimeCepOperator;
import dev.sigmacep.correlate.GroupKey;
import dev.sigmacep.correlate.GroupKeys;
import dev.sigmacep.correlate.SharedInputFanOut;
import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.correlate.CorrelationPlan;
import dev.sigmacep.correlate.LateEvent;
import dev.sigmacep.correlate.LateEventFunction;
import dev.sigmacep.correlate.StateCap;
import dev.sigmacep.correlate.OneAlertPerStartFunction;
import dev.sigmacep.correlate.SharedCepOperator;
import dev.sigmacep.correlate.SharedInput;
import dev.sigmacep.correlate.SuppressFunction;
import dev.sigmacep.detect.CorrelationOutputs;
import dev.sigmacep.detect.DetectFunction;
import dev.sigmacep.detect.LiveDetectFunction;
import dev.sigmacep.detect.RuleStatus;
import dev.sigmacep.detect.RuleUpdate;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DeadLetter;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The job graph, the same for replay and streaming; sources and sinks are plugged in by the caller:
 * <pre>
 * source (decode + event time) ─► split ─► detect ─┬─► single-event alerts ──────────────────────┬─► count ─► alerts
 *                                  │                └─► per correlation: keyBy ─► cap ─► CEP | window ┤
 *                                  │                     (sequences with joins: ─► one per chain)│
 *                                  │                     (a chain's outer correlation also takes └─► late events
 *                                  │                      the alerts of its inner ones)
 *                                  └─► dead letters ◄─ records a rule threw on (bugs)
 * </pre>
 * Sources decode records themselves so that event time is tracked per Kafka partition or file. In BATCH the cap runs
 * inside the correlation's operator (see {@link #correlate}). The sequences that share a first group-by field share
 * one exchange keyed by its value, so an event's record crosses it once (see {@link #shared}): in BATCH into one
 * operator, in STREAMING into each sequence's cap and CEP operators chained behind it. Alerts are counted after their
 * union for a sink of one operator, or where they are made for sinks chained to their makers ({@link Outputs}).
 */
public final class SigmaCepJob {
    private static final TypeInformation<CorrelationEvent> CORRELATION_EVENT = TypeInformation.of(CorrelationEvent.class);
    private static final TypeInformation<Alert> ALERT = TypeInformation.of(Alert.class);

    private final JobSettings settings;
    private final RuleSet rules;

    public SigmaCepJob(JobSettings settings, RuleSet rules) {
        this.settings = settings;
        this.rules = rules;
    }

    /** Settings every run of the graph needs. */
    public static void configure(StreamExecutionEnvironment env) {
        Configuration config = new Configuration();
        // no operator keeps or mutates its input, so chained operators may pass objects without copying them
        config.set(PipelineOptions.OBJECT_REUSE, true);
        // every type on the wire and in state has a serializer of its own: a Kryo fallback fails the build of the
        // graph instead of slowing the job down and tying savepoints to class layouts
        config.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(config);
    }

    /**
     * @param alertsByMaker the alerts of each operator that makes them, not yet counted: {@code detect}, then
     *                      {@code correlation-<label>} for each correlation whose alerts leave the job, in rule order
     * @param ruleStatus    what became of each rule update, when the rules change while the job runs; else null
     */
    public record Outputs(Map<String, DataStream<Alert>> alertsByMaker, DataStream<DeadLetter> deadLetters,
                          DataStream<LateEvent> late, DataStream<RuleStatus> ruleStatus) {
        /**
         * Every alert in one stream, counted per rule (uid {@code alert-count}): for a sink that must be one operator,
         * such as a transactional Kafka sink. Adds operators to the job: call this or {@link #alertsWhereMade()}, once.
         */
        public DataStream<Alert> alerts() {
            DataStream<Alert> alerts = null;
            for (DataStream<Alert> made : alertsByMaker.values()) {
                alerts = alerts == null ? made : alerts.union(made);
            }
            return alerts.map(new AlertCount()).uid("alert-count").name("count alerts");
        }

        /**
         * Each maker's alerts, counted where they are made (uid {@code alert-count-<maker>}): a sink attached to each
         * chains to its maker, so no alert goes through an exchange. In BATCH every exchange is written to disk and
         * read back, and alerts carry their evidence records: on a stream where most events alert, their exchange
         * was a tenth of the job's CPU. Adds operators to the job: call this or {@link #alerts()}, once.
         */
        public Map<String, DataStream<Alert>> alertsWhereMade() {
            Map<String, DataStream<Alert>> counted = new LinkedHashMap<>();
            alertsByMaker.forEach((maker, alerts) -> counted.put(maker,
                    alerts.map(new AlertCount()).uid("alert-count-" + maker).name("count alerts")));
            return counted;
        }
    }

    /**
     * Event time of decoded records, for a source to apply per Kafka partition or file: bounded out-of-orderness
     * with idleness. Dead letters keep the source's timestamp and do not move watermarks.
     */
    public static WatermarkStrategy<DecodeResult> watermarks(JobSettings.EventTime eventTime) {
        Duration maxOutOfOrderness = eventTime.maxOutOfOrderness();
        return WatermarkStrategy
                .<DecodeResult>forGenerator(context -> new EventTimeWatermarks(maxOutOfOrderness))
                .withTimestampAssigner((record, sourceTimestamp) ->
                        record.event() != null ? record.event().timeMillis() : sourceTimestamp)
                .withIdleness(eventTime.idleTimeout());
    }

    /** @param decoded records decoded by the source, with event-time timestamps and watermarks */
    public Outputs wire(DataStream<DecodeResult> decoded) {
        return wire(decoded, null);
    }

    /**
     * @param ruleUpdates detection rules sent while the job runs (a source of parallelism 1, so every subtask gets
     *                    them in one order), or null for rules fixed at submission
     */
    public Outputs wire(DataStream<DecodeResult> decoded, DataStream<RuleUpdate> ruleUpdates) {
        SingleOutputStreamOperator<Event> events = decoded
                .process(new SplitDecoded()).uid("split-decoded").name("count + dead letters");

        List<CorrelationPlan> plans = rules.model().plans();
        CorrelationOutputs correlationInputs = batch(decoded)
                ? CorrelationOutputs.sharing(plans) : CorrelationOutputs.byPartition(plans);
        SingleOutputStreamOperator<Alert> detected = ruleUpdates == null
                ? events.process(new DetectFunction(rules, correlationInputs)).uid("detect").name("detect (Sigma rules)")
                : events.connect(ruleUpdates.broadcast(LiveDetectFunction.UPDATES))
                        .process(new LiveDetectFunction(rules, correlationInputs)).uid("detect")
                        .name("detect (Sigma rules, live updates)");

        Map<String, DataStream<Alert>> alerts = new LinkedHashMap<>();
        alerts.put("detect", detected);
        DataStream<LateEvent> late = null;
        List<DataStream<Alert>> correlated = new ArrayList<>(); // per plan; a chain's inner plans come first
        Map<Integer, SingleOutputStreamOperator<?>> sharedOperators = new HashMap<>();
        for (int i = 0; i < plans.size(); i++) {
            CorrelationPlan plan = plans.get(i);
            OutputTag<CorrelationEvent> lateTag = new OutputTag<>("late-" + plan.label(), CORRELATION_EVENT);
            Correlated matched = correlationInputs.own(i) != null
                    ? correlate(plan, inputs(plan, detected.getSideOutput(correlationInputs.own(i)), correlated), lateTag)
                    : shared(i, correlationInputs, detected, sharedOperators, lateTag);
            DataStream<Alert> chains = oneAlertPerChain(plan, matched.alerts());
            correlated.add(chains);
            if (rules.model().alertsAlone(i)) {
                alerts.put("correlation-" + plan.label(), suppressed(plan, chains));
            }
            DataStream<LateEvent> lateHere = matched.late()
                    .map(new LateEventFunction(plan, settings.eventTime().maxOutOfOrderness()))
                    .uid("late-" + plan.label()).name("late events of " + plan.displayName());
            if (matched.overCap() != null) {
                lateHere = lateHere.union(matched.overCap());
            }
            late = late == null ? lateHere : late.union(lateHere);
        }
        if (late == null) {
            late = events.getSideOutput(NO_LATE_EVENTS);
        }
        DataStream<DeadLetter> deadLetters = events.getSideOutput(SplitDecoded.DEAD_LETTERS)
                .union(detected.getSideOutput(DetectFunction.RULE_ERRORS));
        return new Outputs(alerts, deadLetters, late,
                ruleUpdates == null ? null : detected.getSideOutput(LiveDetectFunction.STATUS));
    }

    /** A correlation's inputs: its detection rules' matches, and the alerts of the correlations it builds on. */
    private static DataStream<CorrelationEvent> inputs(CorrelationPlan plan, DataStream<CorrelationEvent> detected,
                                                       List<DataStream<Alert>> correlated) {
        List<DataStream<CorrelationEvent>> sources = new ArrayList<>();
        for (int role = 0; role < plan.roleCount(); role++) {
            int inner = plan.roleCorrelation(role);
            if (inner >= 0) {
                sources.add(correlated.get(inner).flatMap(new ChainedInputFunction(plan, role))
                        .uid("chain-" + role + "-" + plan.label()).name("into " + plan.displayName()));
            } else if (!sources.contains(detected)) { // one side output carries every role of its detection rules
                sources.add(detected);
            }
        }
        DataStream<CorrelationEvent> inputs = sources.get(0);
        for (DataStream<CorrelationEvent> more : sources.subList(1, sources.size())) {
            inputs = inputs.union(more);
        }
        return inputs;
    }

    /** A sequence with per-step joins may complete one chain several ways: its first completion stands for all. */
    private static DataStream<Alert> oneAlertPerChain(CorrelationPlan plan, DataStream<Alert> matches) {
        if (plan.joins().isEmpty()) {
            return matches;
        }
        return matches.keyBy(OneAlertPerStartFunction::key)
                .process(new OneAlertPerStartFunction(plan.timespan()))
                .uid("one-per-chain-" + plan.label()).name("one alert per chain of " + plan.displayName());
    }

    /**
     * A correlation's alerts as they leave the job: at most one per group in its {@code suppress} window, if it has
     * one. Correlations built on it take every alert.
     */
    private static DataStream<Alert> suppressed(CorrelationPlan plan, DataStream<Alert> alerts) {
        if (plan.rule().suppress() == null) {
            return alerts;
        }
        return alerts.keyBy(SuppressFunction::key)
                .process(new SuppressFunction(plan.rule().suppress()))
                .uid("suppress-" + plan.label()).name("suppress " + plan.displayName());
    }

    /**
     * A correlation's alerts, its late inputs, and its inputs over the caps on its state (null when another
     * correlation of its shared operator already gives them).
     */
    private record Correlated(DataStream<Alert> alerts, DataStream<CorrelationEvent> late,
                              DataStream<LateEvent> overCap) {
    }

    private static boolean batch(DataStream<?> stream) {
        return stream.getExecutionEnvironment().getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                == RuntimeExecutionMode.BATCH;
    }

    /**
     * A sequence correlation that shares its inputs' exchange with the others of the same first group-by field (see
     * {@link CorrelationOutputs#sharing}; in STREAMING alone too, {@link CorrelationOutputs#byPartition}), keyed by
     * that field's value. BATCH: one operator for all of them, made with the first member (uid
     * {@code correlate-shared-} and its members' labels); each member's alerts leave on a side output of their own.
     * STREAMING: {@link SharedInputFanOut} (uid {@code partition-} and the field, so that it stays as members come and
     * go: its timer service, though unused, is state in a savepoint) hands each member its inputs, and
     * the member's cap and CEP operators run chained behind it keyed by {@link GroupKey} (uids
     * {@code cap-by-partition-} and {@code correlate-by-partition-} and its label, as their keys are not those of a
     * correlation's own operators).
     */
    private Correlated shared(int plan, CorrelationOutputs outputs, SingleOutputStreamOperator<Alert> detected,
                              Map<Integer, SingleOutputStreamOperator<?>> operators,
                              OutputTag<CorrelationEvent> lateTag) {
        List<CorrelationPlan> plans = rules.model().plans();
        int shared = outputs.sharedOperator(plan);
        SingleOutputStreamOperator<?> operator = operators.get(shared);
        boolean first = operator == null;
        List<CorrelationPlan> members = new ArrayList<>();
        for (int member : outputs.members(shared)) {
            members.add(plans.get(member));
        }
        String names = members.stream().limit(3).map(CorrelationPlan::displayName)
                .collect(Collectors.joining(", ")) + (members.size() > 3 ? " and " + (members.size() - 3) + " more" : "");
        DataStream<SharedInput> inputs = detected.getSideOutput(outputs.shared(shared));
        if (!batch(inputs)) {
            GroupKeys groupKeys = GroupKeys.forMaxParallelism(inputs.getExecutionConfig().getMaxParallelism());
            if (first) {
                operator = inputs.keyBy(SharedInput::partition)
                        .process(new SharedInputFanOut(members.stream().map(SigmaCepJob::memberInputs).toList(),
                                groupKeys))
                        .uid("partition-" + members.get(0).groupBy().get(0)).name("to " + names);
                operators.put(shared, operator);
            }
            // no exchange: a group falls in its partition's key group, which the keyBy above sent to this subtask
            KeyedStream<CorrelationEvent, GroupKey> groups = DataStreamUtils.reinterpretAsKeyedStream(
                    operator.getSideOutput(memberInputs(plans.get(plan))), groupKeys, groupKeys.type());
            return correlateStreaming(plans.get(plan), groups, "-by-partition-",
                    new EventTimeCepOperator(plans.get(plan), correlationEvents(inputs), lateTag), lateTag);
        }
        if (first) {
            List<OutputTag<Alert>> alertTags = members.stream().map(SigmaCepJob::sharedAlerts).toList();
            operator = inputs.keyBy(SharedInput::partition)
                    .transform("correlate " + names, ALERT,
                            new SharedCepOperator(members, alertTags, correlationEvents(inputs),
                                    settings.correlationState().maxInputsPerGroup()))
                    .uid("correlate-shared-" + members.stream().map(CorrelationPlan::label)
                            .collect(Collectors.joining("+")));
            operators.put(shared, operator);
        }
        return new Correlated(operator.getSideOutput(sharedAlerts(plans.get(plan))), operator.getSideOutput(lateTag),
                first ? operator.getSideOutput(StateCap.OVER_CAP) : null);
    }

    private static OutputTag<CorrelationEvent> memberInputs(CorrelationPlan plan) {
        return new OutputTag<>("inputs-" + plan.label(), CORRELATION_EVENT);
    }

    private static OutputTag<Alert> sharedAlerts(CorrelationPlan plan) {
        return new OutputTag<>("alerts-" + plan.label(), ALERT);
    }

    /**
     * Sequences as CEP patterns; counts, values and the other temporal forms as keyed windows with event-time timers.
     * Each within its caps on state ({@code correlation-state}). Streaming: a {@link StateCap} operator keyed alike and
     * chained in front (savepoints keep its state under uid {@code cap-<label>}). BATCH: the caps run inside the
     * correlation's operator, as Flink makes every keyed operator with sorted inputs head its own chain there, so a
     * cap in front would cost a blocking exchange and a second sort of every input.
     */
    private Correlated correlate(CorrelationPlan plan, DataStream<CorrelationEvent> inputs,
                                 OutputTag<CorrelationEvent> lateTag) {
        String uid = "correlate-" + plan.label();
        String name = "correlate " + plan.displayName();
        JobSettings.CorrelationState caps = settings.correlationState();
        KeyedStream<CorrelationEvent, String> groups = inputs.keyBy(CorrelationEvent::key);
        if (batch(inputs)) {
            OneInputStreamOperator<CorrelationEvent, Alert> capped = plan.usesCep()
                    ? new CappedCepOperator(plan, correlationEvents(inputs), lateTag,
                            caps.maxInputsPerGroup(), caps.maxGroups())
                    : new CappedAggregateOperator(plan, lateTag, caps.maxInputsPerGroup(), caps.maxGroups());
            SingleOutputStreamOperator<Alert> alerts = groups.transform(name, ALERT, capped).uid(uid);
            return new Correlated(alerts, alerts.getSideOutput(lateTag), alerts.getSideOutput(StateCap.OVER_CAP));
        }
        OneInputStreamOperator<CorrelationEvent, Alert> correlation = plan.usesCep()
                ? new EventTimeCepOperator(plan, correlationEvents(inputs), lateTag)
                : new KeyedProcessOperator<>(new AggregateCorrelationFunction(plan, lateTag));
        return correlateStreaming(plan, groups, "-", correlation, lateTag);
    }

    /**
     * Streaming: the cap ({@link StateCap}, uid {@code cap} + {@code uidInfix} + label) keyed as the correlation, in
     * front of it and chained to it (uid {@code correlate} + {@code uidInfix} + label).
     */
    private <K> Correlated correlateStreaming(CorrelationPlan plan, KeyedStream<CorrelationEvent, K> groups,
                                              String uidInfix, OneInputStreamOperator<CorrelationEvent, Alert> correlation,
                                              OutputTag<CorrelationEvent> lateTag) {
        JobSettings.CorrelationState caps = settings.correlationState();
        SingleOutputStreamOperator<CorrelationEvent> capped = groups
                .transform("cap state of " + plan.displayName(), CORRELATION_EVENT,
                        new StateCap(plan, caps.maxInputsPerGroup(), caps.maxGroups()))
                .uid("cap" + uidInfix + plan.label());
        KeyedStream<CorrelationEvent, K> cappedGroups =
                DataStreamUtils.reinterpretAsKeyedStream(capped, groups.getKeySelector(), groups.getKeyType());
        SingleOutputStreamOperator<Alert> alerts = cappedGroups
                .transform("correlate " + plan.displayName(), ALERT, correlation)
                .uid("correlate" + uidInfix + plan.label());
        return new Correlated(alerts, alerts.getSideOutput(lateTag), capped.getSideOutput(StateCap.OVER_CAP));
    }

    /** The serializer a CEP operator buffers its correlation inputs with, configured as the job's. */
    private static TypeSerializer<CorrelationEvent> correlationEvents(DataStream<?> stream) {
        return CORRELATION_EVENT.createSerializer(stream.getExecutionConfig().getSerializerConfig());
    }

    /** Never written to: the late stream of a job without correlations. */
    private static final OutputTag<LateEvent> NO_LATE_EVENTS =
            new OutputTag<>("no-late-events", TypeInformation.of(LateEvent.class));
}
