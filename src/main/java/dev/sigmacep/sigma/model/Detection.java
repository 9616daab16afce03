package dev.sigmacep.sigma.model;

import java.io.Serializable;
import java.util.List;

/** A rule's {@code detection} section: its search identifiers in the order written, and the condition over them. */
public record Detection(List<SearchIdentifier> identifiers, Condition condition) implements Serializable {
    public Detection {
        identifiers = List.copyOf(identifiers);
    }
}
