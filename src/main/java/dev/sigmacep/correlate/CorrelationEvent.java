package dev.sigmacep.correlate;

import dev.sigmacep.event.Event;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * An event on its way into one correlation's CEP operator: the partition key (group-by values), the roles it
 * plays there (bit i set = it matched the correlation's i-th rule with these group-by values), and the event.
 */
public final class CorrelationEvent implements Serializable {
    private final String key;
    private final List<String> groupValues;
    private final int roles;
    private final Event event;

    public CorrelationEvent(String key, List<String> groupValues, int roles, Event event) {
        this.key = key;
        this.groupValues = List.copyOf(groupValues);
        this.roles = roles;
        this.event = event;
    }

    public String key() { return key; }

    public List<String> groupValues() { return groupValues; }

    public int roles() { return roles; }

    public boolean hasRole(int role) { return (roles & (1 << role)) != 0; }

    public Event event() { return event; }

    @Override
    public boolean equals(Object o) {
        return o instanceof CorrelationEvent c && roles == c.roles && key.equals(c.key) && event.equals(c.event);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, roles, event);
    }

    @Override
    public String toString() {
        return "CorrelationEvent{" + key + ", roles=" + Integer.toBinaryString(roles) + ", " + event + "}";
    }
}
