package dev.sigmacep.sigma;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Rules compiled for evaluation: routes an event by its logsource (EventID/Channel via the logsource mapping
 * data) so that it meets only the rules of its logsource, and reports the matching rules by index.
 */
public final class CompiledRulePack {
    private final List<SigmaRule> rules;

    private CompiledRulePack(List<SigmaRule> rules) {
        this.rules = rules;
    }

    /** Compiles with the bundled logsource mapping (resource {@code /sigma/logsources.yaml}). */
    public static CompiledRulePack compile(List<SigmaRule> rules) {
        return new CompiledRulePack(List.copyOf(rules));
    }

    public int size() { return rules.size(); }

    public SigmaRule rule(int index) { return rules.get(index); }

    /** Calls the sink with the index of every rule that matches the event, in ascending order. */
    public void match(FieldSource event, IntConsumer sink) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
