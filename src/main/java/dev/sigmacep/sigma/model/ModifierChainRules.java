package dev.sigmacep.sigma.model;

import dev.sigmacep.sigma.SigmaRuleException;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which modifiers may share a chain. A chain has one value type (string pattern, regex, CIDR, number, date part,
 * existence check or field reference) chosen by its type modifier; every other modifier must suit that type.
 */
final class ModifierChainRules {
    private static final Set<Modifier.Kind> STRING_KINDS =
            EnumSet.of(Modifier.Kind.GENERIC, Modifier.Kind.POSITION, Modifier.Kind.STRING);

    private ModifierChainRules() {
    }

    static void check(FieldSpec spec) throws SigmaRuleException {
        Modifier type = spec.type();
        for (Modifier modifier : spec.modifiers()) {
            if (modifier.kind == Modifier.Kind.REGEX_FLAG && !spec.has(Modifier.RE)) {
                throw new SigmaRuleException("regex flag modifier '" + modifier + "' in '" + spec.written()
                        + "' needs the 're' modifier");
            }
            if (modifier != type && !allowedWith(type, modifier)) {
                throw new SigmaRuleException("modifier '" + modifier + "' cannot be combined with '" + type
                        + "' in '" + spec.written() + "'");
            }
        }
        checkAtMostOne(spec.written(), spec.modifiers(), Modifier.Kind.POSITION);
        if (spec.has(Modifier.RE) && spec.has(Modifier.I) && spec.has(Modifier.CASED)) {
            throw new SigmaRuleException("modifiers 'cased' and 'i' contradict each other in '" + spec.written() + "'");
        }
        if (spec.isKeyword() && (type == Modifier.EXISTS || type == Modifier.FIELDREF)) {
            throw new SigmaRuleException("modifier '" + type + "' needs a field name, in '" + spec.written() + "'");
        }
    }

    /**
     * The modifier that sets the chain's value type, or null for a plain string pattern. Comparisons and date parts
     * both make a numeric chain; a date part is reported as the type when both are present.
     */
    static Modifier typeModifier(String written, List<Modifier> chain) throws SigmaRuleException {
        checkAtMostOne(written, chain, Modifier.Kind.COMPARISON);
        checkAtMostOne(written, chain, Modifier.Kind.DATE_PART);
        Modifier type = null;
        Modifier datePart = null;
        for (Modifier modifier : chain) {
            boolean setsType = modifier.kind == Modifier.Kind.TYPE || modifier.kind == Modifier.Kind.DATE_PART
                    || modifier.kind == Modifier.Kind.COMPARISON;
            if (!setsType) {
                continue;
            }
            if (type == null) {
                type = modifier;
            } else if (!isNumeric(type) || !isNumeric(modifier)) {
                throw new SigmaRuleException("modifier '" + modifier + "' cannot be combined with '" + type
                        + "' in '" + written + "'");
            }
            if (modifier.kind == Modifier.Kind.DATE_PART) {
                datePart = modifier;
            }
        }
        return datePart != null ? datePart : type;
    }

    private static boolean isNumeric(Modifier modifier) {
        return modifier.kind == Modifier.Kind.COMPARISON || modifier.kind == Modifier.Kind.DATE_PART;
    }

    private static boolean allowedWith(Modifier type, Modifier modifier) {
        if (type == null) {
            return STRING_KINDS.contains(modifier.kind);
        }
        return switch (type) {
            case RE -> modifier.kind == Modifier.Kind.REGEX_FLAG || modifier.kind == Modifier.Kind.GENERIC;
            case FIELDREF -> modifier.kind == Modifier.Kind.POSITION || modifier.kind == Modifier.Kind.GENERIC;
            case CIDR -> modifier == Modifier.ALL || modifier == Modifier.NEQ;
            case EXISTS -> false;
            // numeric chains: a date part, a comparison, or both
            default -> isNumeric(modifier) || modifier == Modifier.ALL || modifier == Modifier.NEQ;
        };
    }

    private static void checkAtMostOne(String written, List<Modifier> chain, Modifier.Kind kind)
            throws SigmaRuleException {
        Modifier first = null;
        for (Modifier modifier : chain) {
            if (modifier.kind != kind) {
                continue;
            }
            if (first != null) {
                throw new SigmaRuleException("modifier '" + modifier + "' cannot be combined with '" + first
                        + "' in '" + written + "'");
            }
            first = modifier;
        }
    }
}
