package dev.sigmacep.correlate;

import dev.sigmacep.serialize.MutableSerializer;
import dev.sigmacep.serialize.SerializerTypeInfo;
import dev.sigmacep.serialize.Utf8;
import dev.sigmacep.sigma.rule.CorrelationRule;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one group of a counting or value correlation keeps of its timespan, in event-time order, and only what its
 * measure needs: a time per event ({@code event_count}), the latest time of each distinct value
 * ({@code value_count}), or a time and a number per event (sum, average, percentile, median). Never more than
 * {@link #MAX_ENTRIES} entries: past that the oldest goes, and the caller counts it.
 * <p>Also kept here, because they live and die with the window: when the span of an at-close condition started,
 * the event-time timer pending for this group, and the newest event (an at-close alert's evidence).
 */
@TypeInfo(AggregateWindow.Type.class)
public final class AggregateWindow {
    /** The most entries one group keeps (a stated bound of state per group: 10,000 entries ≈ 160 KB at worst). */
    public static final int MAX_ENTRIES = 10_000;
    static final long NONE = Long.MIN_VALUE;

    private long[] times = new long[4];
    private double[] numbers;
    private int start;
    private int size;
    private final LinkedHashMap<String, Long> latestByValue;
    private final CorrelationEvent[] latestByRole;
    private final boolean countOnly;
    private long count;
    private long spanStart = NONE;
    private long timerAt = NONE;
    private CorrelationEvent newest;

    /**
     * @param slides whether entries leave the window one by one as time passes (conditions checked per event);
     *               otherwise a span is checked as a whole when it closes, and {@code event_count} needs only a count
     */
    AggregateWindow(CorrelationRule.Type type, boolean slides) {
        this(type == CorrelationRule.Type.VALUE_COUNT ? new LinkedHashMap<>() : null,
                type == CorrelationRule.Type.EVENT_COUNT || type == CorrelationRule.Type.VALUE_COUNT ? null : new double[4],
                type == CorrelationRule.Type.EVENT_COUNT && !slides, null);
    }

    /** For a temporal correlation run as a window: the latest event of each of its {@code roles} roles. */
    AggregateWindow(int roles) {
        this(null, null, false, new CorrelationEvent[roles]);
    }

    private AggregateWindow(LinkedHashMap<String, Long> latestByValue, double[] numbers, boolean countOnly,
                            CorrelationEvent[] latestByRole) {
        this.latestByValue = latestByValue;
        this.numbers = numbers;
        this.countOnly = countOnly;
        this.latestByRole = latestByRole;
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** How many entries the window holds: events, distinct values for {@code value_count}, or roles seen. */
    long size() {
        if (latestByRole != null) {
            return Integer.bitCount(rolesSeen());
        }
        return countOnly ? count : latestByValue != null ? latestByValue.size() : size;
    }

    /** The roles whose latest event is in the window, as a bit mask (temporal windows). */
    int rolesSeen() {
        int seen = 0;
        for (int role = 0; role < latestByRole.length; role++) {
            if (latestByRole[role] != null) {
                seen |= 1 << role;
            }
        }
        return seen;
    }

    /** The latest event of each role seen, distinct, in event-time order (temporal windows). */
    java.util.List<CorrelationEvent> latestEvents() {
        java.util.List<CorrelationEvent> events = new ArrayList<>();
        for (CorrelationEvent event : latestByRole) {
            if (event != null && !events.contains(event)) {
                events.add(event);
            }
        }
        events.sort(new CorrelationEventOrder());
        return events;
    }

    /** The event is now the latest of each role it plays (temporal windows). */
    void addRoles(CorrelationEvent event) {
        for (int role = 0; role < latestByRole.length; role++) {
            if (event.hasRole(role)) {
                latestByRole[role] = event;
            }
        }
    }

    /** The time of the oldest entry, in microseconds; NONE when empty or when only counting. */
    long oldestTime() {
        if (latestByRole != null) {
            long oldest = NONE;
            for (CorrelationEvent event : latestByRole) {
                if (event != null && (oldest == NONE || event.timeMicros() < oldest)) {
                    oldest = event.timeMicros();
                }
            }
            return oldest;
        }
        if (countOnly) {
            return NONE;
        }
        if (latestByValue != null) {
            return latestByValue.isEmpty() ? NONE : latestByValue.values().iterator().next();
        }
        return size == 0 ? NONE : times[start];
    }

    /** Drops the entries at or before the given time; returns how many went. */
    int evictThrough(long micros) {
        int evicted = 0;
        if (latestByRole != null) {
            for (int role = 0; role < latestByRole.length; role++) {
                if (latestByRole[role] != null && latestByRole[role].timeMicros() <= micros) {
                    latestByRole[role] = null;
                    evicted++;
                }
            }
            return evicted;
        }
        if (latestByValue != null) {
            Iterator<Long> it = latestByValue.values().iterator();
            while (it.hasNext() && it.next() <= micros) {
                it.remove();
                evicted++;
            }
            return evicted;
        }
        while (size > 0 && times[start] <= micros) {
            start = (start + 1) % times.length;
            size--;
            evicted++;
        }
        return evicted;
    }

    /**
     * Adds an event (times never decrease). {@code value} is the distinct-value key for {@code value_count}, the
     * number for the numeric types, ignored for {@code event_count}. Returns whether the oldest entry had to go.
     */
    boolean add(long micros, String distinct, double number) {
        if (countOnly) {
            count++;
            return false;
        }
        if (latestByValue != null) {
            latestByValue.remove(distinct); // re-inserted last: the map stays in order of latest time
            latestByValue.put(distinct, micros);
            if (latestByValue.size() > MAX_ENTRIES) {
                Iterator<Long> it = latestByValue.values().iterator();
                it.next();
                it.remove();
                return true;
            }
            return false;
        }
        boolean dropped = false;
        if (size == MAX_ENTRIES) {
            start = (start + 1) % times.length;
            size--;
            dropped = true;
        }
        if (size == times.length) {
            grow();
        }
        int at = (start + size) % times.length;
        times[at] = micros;
        if (numbers != null) {
            numbers[at] = number;
        }
        size++;
        return dropped;
    }

    private void grow() {
        long[] moreTimes = new long[Math.min(times.length * 2, MAX_ENTRIES)];
        double[] moreNumbers = numbers == null ? null : new double[moreTimes.length];
        for (int i = 0; i < size; i++) {
            moreTimes[i] = times[(start + i) % times.length];
            if (numbers != null) {
                moreNumbers[i] = numbers[(start + i) % numbers.length];
            }
        }
        times = moreTimes;
        numbers = moreNumbers;
        start = 0;
    }

    /** The numbers of the window in time order (numeric types). */
    double[] numbers() {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = numbers[(start + i) % numbers.length];
        }
        return values;
    }

    /** Empties the window (after it fired, or when its span closed); the pending timer stays known. */
    void clear() {
        if (latestByValue != null) {
            latestByValue.clear();
        }
        if (latestByRole != null) {
            java.util.Arrays.fill(latestByRole, null);
        }
        start = 0;
        size = 0;
        count = 0;
        if (times.length > 64) { // a burst's arrays need not outlive it
            times = new long[4];
            numbers = numbers == null ? null : new double[4];
        }
        spanStart = NONE;
        newest = null;
    }

    long spanStart() { return spanStart; }

    void spanStart(long micros) { spanStart = micros; }

    long timerAt() { return timerAt; }

    void timerAt(long millis) { timerAt = millis; }

    /** The newest event added since the window was last emptied, or null. */
    CorrelationEvent newest() { return newest; }

    void newest(CorrelationEvent event) { newest = event; }

    AggregateWindow copy() {
        AggregateWindow copy = new AggregateWindow(latestByValue == null ? null : new LinkedHashMap<>(latestByValue),
                numbers == null ? null : numbers.clone(), countOnly, latestByRole == null ? null : latestByRole.clone());
        copy.count = count;
        copy.times = times.clone();
        copy.start = start;
        copy.size = size;
        copy.spanStart = spanStart;
        copy.timerAt = timerAt;
        copy.newest = newest; // immutable
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AggregateWindow w) || size != w.size || count != w.count || countOnly != w.countOnly || spanStart != w.spanStart || timerAt != w.timerAt
                || !java.util.Objects.equals(newest, w.newest) || (latestByValue == null) != (w.latestByValue == null)
                || (numbers == null) != (w.numbers == null)
                || !java.util.Arrays.equals(latestByRole, w.latestByRole)) {
            return false;
        }
        if (latestByValue != null && !new ArrayList<>(latestByValue.entrySet()).equals(new ArrayList<>(w.latestByValue.entrySet()))) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (times[(start + i) % times.length] != w.times[(w.start + i) % w.times.length]) {
                return false;
            }
        }
        if (numbers != null && !Arrays.equals(numbers(), w.numbers())) {
            return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(size()) + Long.hashCode(oldestTime());
    }

    @Override
    public String toString() {
        return "AggregateWindow{" + size() + " entries from " + oldestTime() + ", span " + spanStart + "}";
    }

    /**
     * Version 1: kind (0 times, 1 distinct values, 2 numbers, 3 a count, 4 roles), the entries oldest first (for a
     * count: the count; for roles: their number, then per role a presence byte and its latest event), span start,
     * pending timer,
     * and the newest event if any (a presence byte, then as {@link CorrelationEvent.Serializer} writes it).
     */
    public static final class Serializer extends MutableSerializer<AggregateWindow> {
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {
            super(1);
        }

        @Override
        protected void write(AggregateWindow window, DataOutputView out) throws IOException {
            if (window.latestByRole != null) {
                out.writeByte(4);
                out.writeInt(window.latestByRole.length);
                for (CorrelationEvent event : window.latestByRole) {
                    out.writeBoolean(event != null);
                    if (event != null) {
                        CorrelationEvent.Serializer.INSTANCE.serialize(event, out);
                    }
                }
            } else if (window.countOnly) {
                out.writeByte(3);
                out.writeLong(window.count);
            } else if (window.latestByValue != null) {
                out.writeByte(1);
                out.writeInt(window.latestByValue.size());
                for (Map.Entry<String, Long> entry : window.latestByValue.entrySet()) {
                    Utf8.write(out, entry.getKey());
                    out.writeLong(entry.getValue());
                }
            } else {
                out.writeByte(window.numbers == null ? 0 : 2);
                out.writeInt(window.size);
                for (int i = 0; i < window.size; i++) {
                    int at = (window.start + i) % window.times.length;
                    out.writeLong(window.times[at]);
                    if (window.numbers != null) {
                        out.writeDouble(window.numbers[at]);
                    }
                }
            }
            out.writeLong(window.spanStart);
            out.writeLong(window.timerAt);
            out.writeBoolean(window.newest != null);
            if (window.newest != null) {
                CorrelationEvent.Serializer.INSTANCE.serialize(window.newest, out);
            }
        }

        @Override
        protected AggregateWindow read(int version, DataInputView in) throws IOException {
            int kind = in.readUnsignedByte();
            if (kind == 3) {
                AggregateWindow window = new AggregateWindow(null, null, true, null);
                window.count = in.readLong();
                return readRest(window, in);
            }
            if (kind == 4) {
                int roles = in.readInt();
                if (roles < 0 || roles > 31) {
                    throw new IOException("corrupt serialized window: " + roles + " roles");
                }
                AggregateWindow window = new AggregateWindow(roles);
                for (int role = 0; role < roles; role++) {
                    window.latestByRole[role] = in.readBoolean() ? CorrelationEvent.Serializer.INSTANCE.deserialize(in) : null;
                }
                return readRest(window, in);
            }
            int entries = in.readInt();
            if (kind > 2 || entries < 0 || entries > MAX_ENTRIES) {
                throw new IOException("corrupt serialized window: kind " + kind + ", " + entries + " entries");
            }
            AggregateWindow window = new AggregateWindow(kind == 1 ? new LinkedHashMap<>() : null,
                    kind == 2 ? new double[Math.max(4, entries)] : null, false, null);
            if (kind == 1) {
                for (int i = 0; i < entries; i++) {
                    window.latestByValue.put(Utf8.read(in), in.readLong());
                }
            } else {
                window.times = new long[Math.max(4, entries)];
                for (int i = 0; i < entries; i++) {
                    window.times[i] = in.readLong();
                    if (kind == 2) {
                        window.numbers[i] = in.readDouble();
                    }
                }
                window.size = entries;
            }
            return readRest(window, in);
        }

        private static AggregateWindow readRest(AggregateWindow window, DataInputView in) throws IOException {
            window.spanStart = in.readLong();
            window.timerAt = in.readLong();
            window.newest = in.readBoolean() ? CorrelationEvent.Serializer.INSTANCE.deserialize(in) : null;
            return window;
        }

        @Override
        protected AggregateWindow deepCopy(AggregateWindow from) {
            return from.copy();
        }
    }

    public static final class Type extends TypeInfoFactory<AggregateWindow> {
        @Override
        public TypeInformation<AggregateWindow> createTypeInfo(java.lang.reflect.Type t,
                                                               Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(AggregateWindow.class, Serializer.INSTANCE);
        }
    }
}
