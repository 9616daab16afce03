package dev.sigmacep.job;

import dev.sigmacep.event.DeadLetter;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The streaming job's defence against event times from the future. Whoever writes a record chooses its event time,
 * and watermarks only move forward: one record dated year 9999 would push its partition's watermark there, and every
 * later real event of that partition would be late and miss its correlations. So a source turns an event dated more
 * than {@code event-time.max-future} ahead of the wall clock into a dead letter before its watermark generator sees
 * it (dead letters never move a watermark).
 * <p>
 * The decision is made once, where the record is decoded: the wall clock moves on, and the watermark and the
 * dead-letter output must agree on every record. BATCH replays do not use it ({@link #NONE}): they sort by event time
 * and have no watermarks to protect, and a replay of history must not depend on when it runs. Old data is never
 * ahead of the wall clock, so a streaming replay of it is unaffected too.
 */
public final class FutureEvents implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The start of the reason of every dead letter made here, for grouping and counting. */
    public static final String REASON = "event time in the future";

    /** Lets every event through: BATCH replays. */
    public static final FutureEvents NONE = new FutureEvents(null, Clock.systemUTC());

    /** The form of event times in late records' reasons, so both kinds of reason read alike. */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Duration maxFuture;
    private final Clock clock;

    /**
     * @param maxFuture how far an event may be ahead of {@code clock}; null: any distance
     * @param clock     the wall clock ({@link Clock#systemUTC()} in a job); serializable, as it travels in the source
     */
    public FutureEvents(Duration maxFuture, Clock clock) {
        this.maxFuture = maxFuture;
        this.clock = clock;
    }

    /** The streaming job's guard: {@code event-time.max-future} against the system's UTC clock. */
    public static FutureEvents streaming(JobSettings.EventTime eventTime) {
        return new FutureEvents(eventTime.maxFuture(), Clock.systemUTC());
    }

    /**
     * @return {@code record} itself, unless it is an event dated more than the bound ahead of the wall clock: then a
     * dead letter with the event's raw record and a reason that names its time and the bound
     */
    public DecodeResult check(DecodeResult record) {
        Event event = record.event();
        if (maxFuture == null || event == null) {
            return record;
        }
        long now = clock.millis();
        long bound = maxFuture.toMillis();
        // saturated: a bound of centuries must not wrap around into the past
        long limit = now > Long.MAX_VALUE - bound ? Long.MAX_VALUE : now + bound;
        if (event.timeMillis() <= limit) {
            return record;
        }
        return DecodeResult.dead(REASON + ": " + TIME.format(Instant.ofEpochMilli(event.timeMillis()))
                + " is more than " + text(maxFuture) + " ahead of the wall clock", event.raw());
    }

    /** As job files write durations: the largest unit that divides it ({@code 90m}, {@code 1h}, {@code 1500ms}). */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis % sizes[i] == 0) {
                return millis / sizes[i] + units[i];
            }
        }
        return millis + "ms";
    }

    /** Whether a dead letter was made by {@link #check}. */
    public static boolean isFutureDated(DeadLetter deadLetter) {
        return deadLetter.reason().startsWith(REASON + ": ");
    }
}
