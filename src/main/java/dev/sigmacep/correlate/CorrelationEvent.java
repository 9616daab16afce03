package dev.sigmacep.correlate;

import dev.sigmacep.event.Event;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * An event on its way into one correlation's CEP operator: the partition key (group-by values), the roles it
 * plays there (bit i set = it matched the correlation's i-th rule with these group-by values), and of the event
 * only what an alert needs (host, time, the record as read): CEP buffers these in state, so they stay small.
 */
public final class CorrelationEvent implements Serializable {
    private final String key;
    private final List<String> groupValues;
    private final int roles;
    private final String host;
    private final long timeMicros;
    private final String raw;

    public CorrelationEvent(String key, List<String> groupValues, int roles, Event event) {
        this.key = key;
        this.groupValues = List.copyOf(groupValues);
        this.roles = roles;
        this.host = event.host();
        this.timeMicros = event.timeMicros();
        this.raw = event.raw();
    }

    public String key() { return key; }

    public List<String> groupValues() { return groupValues; }

    public int roles() { return roles; }

    public boolean hasRole(int role) { return (roles & (1 << role)) != 0; }

    public String host() { return host; }

    /** Event time, microseconds since the epoch. */
    public long timeMicros() { return timeMicros; }

    /** The input record exactly as read. */
    public String raw() { return raw; }

    @Override
    public boolean equals(Object o) {
        return o instanceof CorrelationEvent c && roles == c.roles && timeMicros == c.timeMicros && key.equals(c.key)
                && raw.equals(c.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, roles, timeMicros, raw);
    }

    @Override
    public String toString() {
        return "CorrelationEvent{" + key + ", roles=" + Integer.toBinaryString(roles) + ", " + timeMicros + ", " + raw + "}";
    }
}
