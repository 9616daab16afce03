package dev.sigmacep.sigma.match;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** What value compilation needs besides the rule itself: placeholder values for the `expand` modifier. */
public final class MatchContext implements Serializable {
    private final Map<String, List<String>> placeholders;

    public MatchContext(Map<String, List<String>> placeholders) {
        this.placeholders = Map.copyOf(placeholders);
    }

    public static MatchContext empty() {
        return new MatchContext(Map.of());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatchContext other && placeholders.equals(other.placeholders);
    }

    @Override
    public int hashCode() {
        return placeholders.hashCode();
    }

    /** Values of a placeholder (name without the % signs), or null when the configuration has none. */
    public List<String> placeholder(String name) {
        return placeholders.get(name);
    }
}
