package dev.sigmacep.sigma.rule;

/**
 * How a rule is named, the same everywhere. Sigma makes {@code id} and {@code name} optional, so each label falls
 * back in a fixed order.
 */
public final class RuleLabels {
    private RuleLabels() {
    }

    /** For people (summaries, operator names): the name, else the id, else the fallback (the title). */
    public static String display(String id, String name, String fallback) {
        return name != null ? name : id != null ? id : fallback;
    }

    /** For keys that must not change when a name is edited (operator uids, match dumps): the id, else the name, else the fallback. */
    public static String key(String id, String name, String fallback) {
        return id != null ? id : name != null ? name : fallback;
    }
}
