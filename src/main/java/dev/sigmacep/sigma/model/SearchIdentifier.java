package dev.sigmacep.sigma.model;

import java.io.Serializable;
/** A named search of a detection, referenced by its condition. */
public record SearchIdentifier(String name, Search search) implements Serializable {
}
