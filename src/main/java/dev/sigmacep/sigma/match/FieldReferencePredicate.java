package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.model.Modifier;
import dev.sigmacep.sigma.model.FieldSpec;
import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.FieldSource;
import dev.sigmacep.sigma.SigmaRuleException;

import java.util.List;

/**
 * {@code fieldref}: the field's value compared with the value of another field of the same event, as plain text
 * (no wildcards), case-insensitively unless {@code cased}. {@code contains}, {@code startswith} and {@code endswith}
 * look for the other field's value inside this one. A list of field names is OR, or AND with {@code all}. When
 * either field is absent there is nothing to compare and the item does not match ({@code neq} turns that into a
 * match, as it negates the whole item).
 */
final class FieldReferencePredicate implements EventPredicate {
    private enum Relation { EQUALS, CONTAINS, STARTS_WITH, ENDS_WITH }

    private final String field;
    private final String[] referencedFields;
    private final Relation relation;
    private final boolean caseSensitive;
    private final boolean all;

    private FieldReferencePredicate(String field, String[] referencedFields, Relation relation, boolean caseSensitive,
                                    boolean all) {
        this.field = field;
        this.referencedFields = referencedFields;
        this.relation = relation;
        this.caseSensitive = caseSensitive;
        this.all = all;
    }

    static FieldReferencePredicate compile(FieldSpec spec, List<Object> values) throws SigmaRuleException {
        String[] referenced = new String[values.size()];
        for (int i = 0; i < referenced.length; i++) {
            referenced[i] = RuleValues.text(values.get(i));
            if (referenced[i].isEmpty() || referenced[i].indexOf('*') >= 0 || referenced[i].indexOf('?') >= 0) {
                throw new SigmaRuleException("field reference '" + referenced[i] + "' in '" + spec.written()
                        + "' must be a field name, without wildcards");
            }
        }
        Modifier position = spec.first(Modifier.Kind.POSITION);
        Relation relation = position == null ? Relation.EQUALS : switch (position) {
            case CONTAINS -> Relation.CONTAINS;
            case STARTSWITH -> Relation.STARTS_WITH;
            default -> Relation.ENDS_WITH;
        };
        return new FieldReferencePredicate(spec.field(), referenced, relation, spec.caseSensitive(),
                spec.has(Modifier.ALL));
    }

    @Override
    public boolean test(FieldSource event) {
        Object value = event.field(field);
        if (value == null) {
            return false;
        }
        // stop at the first value that decides: a match for OR, a miss for AND
        for (String referencedField : referencedFields) {
            Object reference = event.field(referencedField);
            boolean related = anyRelated(value, reference);
            if (related != all) {
                return !all;
            }
        }
        return all;
    }

    /** Any element of the value related to any element of the reference (either may be a list). */
    private boolean anyRelated(Object value, Object reference) {
        int values = EventValues.count(value);
        int references = EventValues.count(reference);
        for (int i = 0; i < values; i++) {
            Object element = EventValues.element(value, i);
            for (int j = 0; element != null && j < references; j++) {
                Object other = EventValues.element(reference, j);
                if (other != null && related(element, other)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean related(Object value, Object reference) {
        if (relation == Relation.EQUALS && isIntegral(value) && isIntegral(reference)) {
            return ((Number) value).longValue() == ((Number) reference).longValue();
        }
        String text = EventValues.text(value);
        String other = EventValues.text(reference);
        boolean ignoreCase = !caseSensitive;
        return switch (relation) {
            case EQUALS -> text.length() == other.length() && text.regionMatches(ignoreCase, 0, other, 0, other.length());
            case STARTS_WITH -> text.regionMatches(ignoreCase, 0, other, 0, other.length());
            case ENDS_WITH -> text.regionMatches(ignoreCase, text.length() - other.length(), other, 0, other.length());
            case CONTAINS -> contains(text, other, ignoreCase);
        };
    }

    private static boolean isIntegral(Object value) {
        return value instanceof Long || value instanceof Integer;
    }

    private static boolean contains(String text, String other, boolean ignoreCase) {
        for (int offset = 0; offset + other.length() <= text.length(); offset++) {
            if (text.regionMatches(ignoreCase, offset, other, 0, other.length())) {
                return true;
            }
        }
        return false;
    }
}
