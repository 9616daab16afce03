package dev.sigmacep.alert;

import dev.sigmacep.serialize.ImmutableSerializer;
import dev.sigmacep.serialize.SerializerTypeInfo;
import dev.sigmacep.serialize.Utf8;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One detection: a single-event Sigma rule match or a correlation match, with the evidence records in
 * event-time order exactly as they were read. Field names follow the alert schema in DESIGN.md. The evidence is
 * kept as UTF-8, the form it leaves the job in: records of a few KB then cross operators and reach the output as
 * bulk copies, never re-encoded.
 */
@TypeInfo(Alert.Type.class)
public final class Alert {
    private final String ruleId;
    private final String ruleName;
    private final String ruleTitle;
    private final String level;
    private final List<String> tags;
    private final String host;
    private final Map<String, String> groupBy;
    private final long firstEventMicros;
    private final long lastEventMicros;
    private final List<byte[]> eventsUtf8;
    private final String correlationType;
    private final Double correlationValue;
    private final Suppressed suppressed;
    private final Integer ruleVersion;

    /**
     * What a suppressed correlation held back in its window: this alert stands for {@code count} alerts of its rule and
     * group (itself included), the first and last of them at these times (the times the alerts fired).
     */
    public record Suppressed(int count, long firstMicros, long lastMicros) {
    }

    /** A single-event alert. */
    public Alert(String ruleId, String ruleName, String ruleTitle, String level, List<String> tags, String host,
                 Map<String, String> groupBy, long firstEventMicros, long lastEventMicros, List<byte[]> eventsUtf8) {
        this(ruleId, ruleName, ruleTitle, level, tags, host, groupBy, firstEventMicros, lastEventMicros, eventsUtf8,
                null, null);
    }

    /**
     * @param eventsUtf8       the evidence records as UTF-8, in event-time order; not copied, so do not change them
     * @param correlationType  the correlation's type as Sigma writes it, null for a single-event alert
     * @param correlationValue what a counting or value correlation measured when it fired (count, distinct values,
     *                         sum, average, percentile), null for others
     */
    public Alert(String ruleId, String ruleName, String ruleTitle, String level, List<String> tags, String host,
                 Map<String, String> groupBy, long firstEventMicros, long lastEventMicros, List<byte[]> eventsUtf8,
                 String correlationType, Double correlationValue) {
        this(ruleId, ruleName, ruleTitle, level, tags, host, groupBy, firstEventMicros, lastEventMicros, eventsUtf8,
                correlationType, correlationValue, null, null);
    }

    private Alert(String ruleId, String ruleName, String ruleTitle, String level, List<String> tags, String host,
                  Map<String, String> groupBy, long firstEventMicros, long lastEventMicros, List<byte[]> eventsUtf8,
                  String correlationType, Double correlationValue, Suppressed suppressed, Integer ruleVersion) {
        this.ruleId = ruleId;
        this.ruleName = ruleName;
        this.ruleTitle = ruleTitle;
        this.level = level;
        this.tags = List.copyOf(tags);
        this.host = host;
        this.groupBy = groupBy.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(groupBy));
        this.firstEventMicros = firstEventMicros;
        this.lastEventMicros = lastEventMicros;
        this.eventsUtf8 = List.copyOf(eventsUtf8);
        this.correlationType = correlationType;
        this.correlationValue = correlationValue;
        this.suppressed = suppressed;
        this.ruleVersion = ruleVersion;
    }

    /** This alert standing for the alerts its rule's suppression held back. */
    public Alert withSuppressed(Suppressed held) {
        return new Alert(ruleId, ruleName, ruleTitle, level, tags, host, groupBy, firstEventMicros, lastEventMicros,
                eventsUtf8, correlationType, correlationValue, held, ruleVersion);
    }

    /** This alert of the given version of its rule (a job whose rules change while it runs). */
    public Alert withRuleVersion(int version) {
        return new Alert(ruleId, ruleName, ruleTitle, level, tags, host, groupBy, firstEventMicros, lastEventMicros,
                eventsUtf8, correlationType, correlationValue, suppressed, version);
    }

    public String ruleId() { return ruleId; }

    /** The Sigma {@code name}, or null. */
    public String ruleName() { return ruleName; }

    public String ruleTitle() { return ruleTitle; }

    public String level() { return level; }

    public List<String> tags() { return tags; }

    public String host() { return host; }

    /** Group-by field → value, in the correlation's order; empty for a single-event alert. */
    public Map<String, String> groupBy() { return groupBy; }

    public long firstEventMicros() { return firstEventMicros; }

    public long lastEventMicros() { return lastEventMicros; }

    /** The evidence records as text. */
    public List<String> events() {
        List<String> events = new ArrayList<>(eventsUtf8.size());
        eventsUtf8.forEach(event -> events.add(new String(event, StandardCharsets.UTF_8)));
        return events;
    }

    /** The evidence records as UTF-8, as read; the arrays are shared, so do not change them. */
    public List<byte[]> eventsUtf8() { return eventsUtf8; }

    /** The correlation's type ({@code temporal_ordered}, {@code event_count}...), null for a single-event alert. */
    public String correlationType() { return correlationType; }

    /** The measure of a counting or value correlation when it fired, else null. */
    public Double correlationValue() { return correlationValue; }

    /** What suppression held back that this alert stands for, or null. */
    public Suppressed suppressed() { return suppressed; }

    /** The version of the rule that fired, in a job whose rules change while it runs; else null. */
    public Integer ruleVersion() { return ruleVersion; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Alert a) || firstEventMicros != a.firstEventMicros || lastEventMicros != a.lastEventMicros
                || !Objects.equals(ruleId, a.ruleId) || !Objects.equals(ruleName, a.ruleName)
                || !Objects.equals(ruleTitle, a.ruleTitle) || !Objects.equals(level, a.level) || !tags.equals(a.tags)
                || !Objects.equals(host, a.host) || !groupBy.equals(a.groupBy) || eventsUtf8.size() != a.eventsUtf8.size()
                || !Objects.equals(correlationType, a.correlationType)
                || !Objects.equals(correlationValue, a.correlationValue) || !Objects.equals(suppressed, a.suppressed)
                || !Objects.equals(ruleVersion, a.ruleVersion)) {
            return false;
        }
        for (int i = 0; i < eventsUtf8.size(); i++) {
            if (!java.util.Arrays.equals(eventsUtf8.get(i), a.eventsUtf8.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ruleId, ruleName, host, groupBy, firstEventMicros, lastEventMicros);
    }

    @Override
    public String toString() {
        return "Alert{" + (ruleName != null ? ruleName : ruleId) + ", " + host + ", " + groupBy + ", "
                + eventsUtf8.size() + " events}";
    }

    /**
     * Version 4: the fields in declaration order; group-by as (name, value) pairs in order; the correlation value as
     * a presence byte and a double; the suppression as a presence byte, count, first and last time; the rule version
     * as a presence byte and an int. Version 3 ended after the suppression, 2 after the correlation value, 1 after
     * the events.
     */
    public static final class Serializer extends ImmutableSerializer<Alert> {
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {
            super(4);
        }

        @Override
        protected void write(Alert alert, DataOutputView out) throws IOException {
            Utf8.write(out, alert.ruleId);
            Utf8.write(out, alert.ruleName);
            Utf8.write(out, alert.ruleTitle);
            Utf8.write(out, alert.level);
            Utf8.writeList(out, alert.tags);
            Utf8.write(out, alert.host);
            out.writeInt(alert.groupBy.size());
            for (Map.Entry<String, String> entry : alert.groupBy.entrySet()) {
                Utf8.write(out, entry.getKey());
                Utf8.write(out, entry.getValue());
            }
            out.writeLong(alert.firstEventMicros);
            out.writeLong(alert.lastEventMicros);
            out.writeInt(alert.eventsUtf8.size());
            for (byte[] event : alert.eventsUtf8) {
                Utf8.writeBytes(out, event);
            }
            Utf8.write(out, alert.correlationType);
            out.writeBoolean(alert.correlationValue != null);
            if (alert.correlationValue != null) {
                out.writeDouble(alert.correlationValue);
            }
            out.writeBoolean(alert.suppressed != null);
            if (alert.suppressed != null) {
                out.writeInt(alert.suppressed.count());
                out.writeLong(alert.suppressed.firstMicros());
                out.writeLong(alert.suppressed.lastMicros());
            }
            out.writeBoolean(alert.ruleVersion != null);
            if (alert.ruleVersion != null) {
                out.writeInt(alert.ruleVersion);
            }
        }

        @Override
        protected Alert read(int version, DataInputView in) throws IOException {
            String ruleId = Utf8.read(in);
            String ruleName = Utf8.read(in);
            String ruleTitle = Utf8.read(in);
            String level = Utf8.read(in);
            List<String> tags = Utf8.readList(in);
            String host = Utf8.read(in);
            int groups = in.readInt();
            Map<String, String> groupBy = new LinkedHashMap<>();
            for (int i = 0; i < groups; i++) {
                groupBy.put(Utf8.read(in), Utf8.read(in));
            }
            long first = in.readLong();
            long last = in.readLong();
            int count = in.readInt();
            List<byte[]> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                events.add(Utf8.readBytes(in));
            }
            if (version == 1) {
                return new Alert(ruleId, ruleName, ruleTitle, level, tags, host, groupBy, first, last, events);
            }
            String correlationType = Utf8.read(in);
            Double correlationValue = in.readBoolean() ? in.readDouble() : null;
            Suppressed suppressed = version >= 3 && in.readBoolean()
                    ? new Suppressed(in.readInt(), in.readLong(), in.readLong()) : null;
            Integer ruleVersion = version >= 4 && in.readBoolean() ? in.readInt() : null;
            return new Alert(ruleId, ruleName, ruleTitle, level, tags, host, groupBy, first, last, events,
                    correlationType, correlationValue, suppressed, ruleVersion);
        }
    }

    public static final class Type extends TypeInfoFactory<Alert> {
        @Override
        public TypeInformation<Alert> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(Alert.class, Serializer.INSTANCE);
        }
    }
}
