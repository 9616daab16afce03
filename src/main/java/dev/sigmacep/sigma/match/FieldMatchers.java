package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.EventPredicate;
import dev.sigmacep.sigma.SigmaRuleException;

/** Compiles one detection entry (a field with its modifier chain and its value or values) into a predicate. */
public final class FieldMatchers {
    private FieldMatchers() {
    }

    /**
     * @param fieldSpec the detection map key as written, e.g. {@code Image|endswith} or {@code CommandLine|contains|all};
     *                  an empty field name ({@code ""}, {@code "|all"}) means a keyword search over all field values
     * @param value     the YAML value: String, Integer, Long, Double, Boolean, null, or a List of those
     */
    public static EventPredicate compile(String fieldSpec, Object value, MatchContext ctx) throws SigmaRuleException {
        throw new SigmaRuleException("not implemented yet: " + fieldSpec);
    }
}
