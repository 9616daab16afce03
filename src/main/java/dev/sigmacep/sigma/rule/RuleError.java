package dev.sigmacep.sigma.rule;

import java.io.Serializable;

/** A rule that could not be loaded: the file, the rule id when known (else null), and why. */
public record RuleError(String path, String id, String reason) implements Serializable {
}
