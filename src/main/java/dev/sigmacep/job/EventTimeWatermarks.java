package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import java.time.Duration;

/**
 * Bounded out-of-orderness watermarks that advance on the events themselves only (at most once per second of
 * event time), never on the wall clock: for one partition or file, which events are late depends only on their
 * order, so the same input streamed twice marks the same events late. (Where several partitions meet, the
 * watermark is their minimum, and when each one arrives still depends on timing.) Dead letters have no event
 * time and do not count.
 * Sources run one generator per Kafka partition or file, so one partition racing ahead of another after a
 * restart does not make the other's events late.
 */
final class EventTimeWatermarks implements WatermarkGenerator<DecodeResult> {
    private static final long STEP_MILLIS = 1000;

    private final long maxOutOfOrdernessMillis;
    private long maxTimestamp = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    EventTimeWatermarks(Duration maxOutOfOrderness) {
        this.maxOutOfOrdernessMillis = maxOutOfOrderness.toMillis();
    }

    @Override
    public void onEvent(DecodeResult record, long timestamp, WatermarkOutput output) {
        if (record.event() != null && timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
            long watermark = current();
            if (emitted == Long.MIN_VALUE || watermark - emitted >= STEP_MILLIS) {
                emit(watermark, output);
            }
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // nothing: a wall-clock tick would make lateness depend on timing (idleness is handled by the strategy)
    }

    private long current() {
        return maxTimestamp - maxOutOfOrdernessMillis - 1;
    }

    private void emit(long watermark, WatermarkOutput output) {
        emitted = watermark;
        output.emitWatermark(new Watermark(watermark));
    }
}
