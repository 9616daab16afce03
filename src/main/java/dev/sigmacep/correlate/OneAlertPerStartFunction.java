package dev.sigmacep.correlate;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.metrics.JobCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * One alert per chain for a sequence with per-step joins. Its CEP pattern keeps every partial match (a host's
 * partition holds several process trees at once), so one chain can complete several ways (its shell connected out
 * twice, two of its shells did); the first completion passes, the others are counted as
 * {@code correlate.repeat-matches} and dropped. A chain is its first event, so the key is the group and that
 * event; it is forgotten once the correlation's timespan from that event has passed in event time, when no match
 * can begin with it any more.
 */
public final class OneAlertPerStartFunction extends KeyedProcessFunction<String, Alert, Alert> {
    private final long timespanMillis;
    private transient ValueState<Boolean> alerted;
    private transient JobCounter repeats;

    public OneAlertPerStartFunction(Duration timespan) {
        this.timespanMillis = timespan.toMillis();
    }

    /** The chain of an alert: its group-by values, its first event's time and a 64-bit digest of its record. */
    public static String key(Alert alert) {
        byte[] first = alert.eventsUtf8().get(0);
        CRC32 crc = new CRC32();
        crc.update(first);
        long digest = (crc.getValue() << 32) ^ (Arrays.hashCode(first) & 0xffffffffL);
        return CorrelationEvent.key(List.of(SuppressFunction.key(alert), Long.toString(alert.firstEventMicros()),
                Long.toHexString(digest)));
    }

    @Override
    public void open(OpenContext openContext) {
        alerted = getRuntimeContext().getState(new ValueStateDescriptor<>("alerted", Types.BOOLEAN));
        repeats = JobCounter.register(getRuntimeContext(), "correlate.repeat-matches");
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        if (alerted.value() != null) {
            repeats.inc();
            return;
        }
        alerted.update(true);
        out.collect(alert);
        // every completion of this chain lies within the timespan from its first event, so none arrives after this
        ctx.timerService().registerEventTimeTimer(Math.floorDiv(alert.firstEventMicros(), 1000) + timespanMillis);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) {
        alerted.clear();
    }
}
