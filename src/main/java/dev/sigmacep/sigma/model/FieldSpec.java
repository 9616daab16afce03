package dev.sigmacep.sigma.model;

import dev.sigmacep.sigma.SigmaRuleException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A detection-map key split into its field name and modifier chain, e.g. {@code CommandLine|contains|all}.
 * An empty field name means a keyword search over all field values. {@code type} is the modifier that sets the
 * value type (see {@link ModifierChainRules#typeModifier}), null for a string pattern.
 */
public record FieldSpec(String written, String field, List<Modifier> modifiers, Modifier type) implements Serializable {

    public static FieldSpec parse(String written) throws SigmaRuleException {
        String[] parts = written.split("\\|", -1);
        List<Modifier> modifiers = new ArrayList<>();
        Set<Modifier> seen = EnumSet.noneOf(Modifier.class);
        for (int i = 1; i < parts.length; i++) {
            Modifier modifier = Modifier.byToken(parts[i]);
            if (modifier == null) {
                throw new SigmaRuleException("unknown modifier '" + parts[i] + "' in '" + written + "'");
            }
            if (!seen.add(modifier)) {
                throw new SigmaRuleException("modifier '" + modifier + "' appears twice in '" + written + "'");
            }
            modifiers.add(modifier);
        }
        List<Modifier> chain = List.copyOf(modifiers);
        FieldSpec spec = new FieldSpec(written, parts[0].intern(), chain, ModifierChainRules.typeModifier(written, chain));
        ModifierChainRules.check(spec);
        return spec;
    }

    public boolean isKeyword() {
        return field.isEmpty();
    }

    public boolean has(Modifier modifier) {
        return modifiers.contains(modifier);
    }

    /** The first modifier of the given kind, or null. */
    public Modifier first(Modifier.Kind kind) {
        for (Modifier modifier : modifiers) {
            if (modifier.kind == kind) {
                return modifier;
            }
        }
        return null;
    }

    public boolean caseSensitive() {
        return has(Modifier.CASED);
    }
}
