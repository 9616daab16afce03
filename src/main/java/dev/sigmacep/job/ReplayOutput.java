package dev.sigmacep.job;

import dev.sigmacep.alert.Alert;
import dev.sigmacep.correlate.LateEvent;
import dev.sigmacep.event.DeadLetter;

import java.io.Serializable;

/** One result of a replay job as the client collects it: exactly one field is set. */
public record ReplayOutput(Alert alert, DeadLetter deadLetter, LateEvent late) implements Serializable {
    static ReplayOutput of(Alert alert) { return new ReplayOutput(alert, null, null); }
    static ReplayOutput of(DeadLetter deadLetter) { return new ReplayOutput(null, deadLetter, null); }
    static ReplayOutput of(LateEvent late) { return new ReplayOutput(null, null, late); }
}
