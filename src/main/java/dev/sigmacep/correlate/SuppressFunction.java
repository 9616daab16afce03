package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.metrics.JobCounter;
import dev.sigmacep.serialize.ImmutableSerializer;
import dev.sigmacep.serialize.SerializerTypeInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A correlation's {@code suppress} window, per group (the key is the alert's group-by values): the first alert passes
 * at once and opens the window; alerts of the same group within it are held back and counted; when the window ends,
 * the last of them leaves, standing for all of them ({@code suppressed_count} and the times of the first and last).
 * A group therefore gives at most one alert as the window opens and one as it ends. Event time throughout.
 */
public final class SuppressFunction extends KeyedProcessFunction<String, Alert, Alert> {
    private final long windowMillis;
    private transient ValueState<Held> held;
    private transient JobCounter suppressed;

    public SuppressFunction(Duration window) {
        this.windowMillis = window.toMillis();
    }

    /** The group key of an alert: its group-by values, as the correlation keyed them. */
    public static String key(Alert alert) {
        return CorrelationEvent.key(List.copyOf(alert.groupBy().values()));
    }

    @Override
    public void open(OpenContext openContext) {
        held = getRuntimeContext().getState(new ValueStateDescriptor<>("suppressed", Held.class));
        suppressed = JobCounter.register(getRuntimeContext(), "correlate.suppressed-alerts");
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        long time = ctx.timestamp();
        Held window = held.value();
        if (window != null && time < window.endMillis()) {
            suppressed.inc();
            held.update(window.with(alert));
            return;
        }
        if (window != null) {
            release(window, out); // its end has not been reached by the watermark yet, this alert is past it
        }
        out.collect(alert);
        long end = time + windowMillis;
        held.update(new Held(end, 0, 0, 0, null));
        ctx.timerService().registerEventTimeTimer(end);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Held window = held.value();
        if (window != null && window.endMillis() == timestamp) {
            release(window, out);
            held.clear();
        }
    }

    private static void release(Held window, Collector<Alert> out) {
        if (window.count() > 0) {
            out.collect(window.latest().withSuppressed(
                    new Alert.Suppressed(window.count(), window.firstMicros(), window.lastMicros())));
        }
    }

    /** A group's open window: when it ends, and the alerts held back in it (the latest kept, the rest counted). */
    @TypeInfo(Held.Type.class)
    public record Held(long endMillis, int count, long firstMicros, long lastMicros, Alert latest) {
        Held with(Alert alert) {
            long time = alert.lastEventMicros();
            return new Held(endMillis, count + 1, count == 0 ? time : firstMicros, time, alert);
        }

        /** Version 1: end, count, first and last time, and the latest alert if any. */
        public static final class Serializer extends ImmutableSerializer<Held> {
            public static final Serializer INSTANCE = new Serializer();

            private Serializer() {
                super(1);
            }

            @Override
            protected void write(Held held, DataOutputView out) throws IOException {
                out.writeLong(held.endMillis);
                out.writeInt(held.count);
                out.writeLong(held.firstMicros);
                out.writeLong(held.lastMicros);
                out.writeBoolean(held.latest != null);
                if (held.latest != null) {
                    Alert.Serializer.INSTANCE.serialize(held.latest, out);
                }
            }

            @Override
            protected Held read(int version, DataInputView in) throws IOException {
                return new Held(in.readLong(), in.readInt(), in.readLong(), in.readLong(),
                        in.readBoolean() ? Alert.Serializer.INSTANCE.deserialize(in) : null);
            }
        }

        public static final class Type extends TypeInfoFactory<Held> {
            @Override
            public TypeInformation<Held> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
                return new SerializerTypeInfo<>(Held.class, Serializer.INSTANCE);
            }
        }
    }
}
