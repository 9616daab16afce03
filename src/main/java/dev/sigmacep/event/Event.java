package dev.sigmacep.event;

import dev.sigmacep.sigma.FieldSource;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * The canonical event: Sigma-taxonomy fields (Sysmon EventData names plus EventID, Channel, Provider_Name,
 * Computer), the host key, the event time, the input shape it came from, and the original record.
 */
public final class Event implements FieldSource, Serializable {
    private final Map<String, Object> fields;
    private final String host;
    private final long timeMicros;
    private final String format;
    private final String raw;

    public Event(Map<String, Object> fields, String host, long timeMicros, String format, String raw) {
        this.fields = fields;
        this.host = host;
        this.timeMicros = timeMicros;
        this.format = format;
        this.raw = raw;
    }

    @Override
    public Object field(String name) {
        return fields.get(name);
    }

    @Override
    public Iterable<?> values() {
        return fields.values();
    }

    public Map<String, Object> fields() { return fields; }

    /** The host key ({@code Computer}). */
    public String host() { return host; }

    /** Event time, microseconds since the epoch (UTC). */
    public long timeMicros() { return timeMicros; }

    /** Event time in milliseconds, as Flink timestamps and watermarks use. */
    public long timeMillis() { return Math.floorDiv(timeMicros, 1000); }

    /** Input shape: {@code sysmon-flat}, {@code evtx-dump}, {@code winlogbeat}, {@code ecs}, {@code sentinel}. */
    public String format() { return format; }

    /** The input record exactly as read. */
    public String raw() { return raw; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && timeMicros == e.timeMicros && raw.equals(e.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeMicros, raw);
    }

    @Override
    public String toString() {
        return "Event{" + format + ", " + host + ", " + timeMicros + ", " + fields + "}";
    }
}
