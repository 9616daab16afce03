package dev.sigmacep.event;

import java.io.Serializable;

/** Either a decoded event or a dead letter; exactly one is non-null. */
public record DecodeResult(Event event, DeadLetter deadLetter) implements Serializable {
    public static DecodeResult ok(Event event) { return new DecodeResult(event, null); }
    public static DecodeResult dead(String reason, String raw) { return new DecodeResult(null, new DeadLetter(reason, raw)); }
}
