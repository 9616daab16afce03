package dev.sigmacep.event;

import java.io.Serializable;

/** An input record the job could not use, with the reason; written to the dead-letter output, never dropped. */
public record DeadLetter(String reason, String raw) implements Serializable {
}
