package dev.sigmacep.correlate;

import java.io.Serializable;

/** An event that arrived after the watermark passed its time, so a correlation could not use it. */
public record LateEvent(String correlationId, String reason, long eventMicros, String raw) implements Serializable {
}
