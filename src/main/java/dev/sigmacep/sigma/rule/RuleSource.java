package dev.sigmacep.sigma.rule;

import java.io.Serializable;

/** The text of one rule file and where it came from; rules travel to Flink operators in this form. */
public record RuleSource(String path, String text) implements Serializable {
}
