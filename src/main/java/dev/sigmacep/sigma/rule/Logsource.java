package dev.sigmacep.sigma.rule;

import java.io.Serializable;

/** A rule's logsource; any part may be null. */
public record Logsource(String product, String category, String service) implements Serializable {
}
