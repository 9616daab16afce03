package dev.sigmacep.sigma.compile;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.condition.ConditionParser;
import dev.sigmacep.sigma.match.FieldMatchers;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.yaml.DocumentFields;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@code detection} section: every search identifier into a predicate (maps are AND of their
 * field entries, lists of maps are OR, lists of plain values are a keyword search), then the condition over them.
 * Field entries themselves are compiled by {@link FieldMatchers}. AND and OR test their cheapest operands first
 * ({@link CostedPredicate}).
 */
public final class DetectionCompiler {
    private final MatchContext context;

    public DetectionCompiler(MatchContext context) {
        this.context = context;
    }

    /** @param detection the detection map; {@code condition} is read from it, every other key is a search identifier */
    public EventPredicate compile(Map<String, Object> detection) throws SigmaRuleException {
        if (detection.containsKey("timeframe")) {
            throw new SigmaRuleException("detection.timeframe is Sigma 1 aggregation syntax; Sigma 2 expresses "
                    + "time windows with correlation rules");
        }
        if (!detection.containsKey("condition")) {
            throw new SigmaRuleException("detection has no condition");
        }
        Map<String, CostedPredicate> identifiers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : detection.entrySet()) {
            if (!entry.getKey().equals("condition")) {
                identifiers.put(entry.getKey(), searchIdentifier(entry.getKey(), entry.getValue()));
            }
        }
        if (identifiers.isEmpty()) {
            throw new SigmaRuleException("detection has no search identifier besides the condition");
        }
        return ConditionParser.parseDetectionCondition(detection.get("condition"), identifiers,
                CostedPredicate.CHEAPEST_FIRST).predicate();
    }

    private CostedPredicate searchIdentifier(String name, Object value) throws SigmaRuleException {
        if (value instanceof Map<?, ?> map) {
            return fieldMap(name, map);
        }
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                throw new SigmaRuleException("search identifier '" + name + "' is an empty list");
            }
            long maps = list.stream().filter(item -> item instanceof Map).count();
            if (maps == list.size()) {
                List<CostedPredicate> alternatives = new ArrayList<>();
                for (Object item : list) {
                    alternatives.add(fieldMap(name, (Map<?, ?>) item));
                }
                return CostedPredicate.CHEAPEST_FIRST.or(alternatives);
            }
            if (maps > 0) {
                throw new SigmaRuleException("search identifier '" + name + "' mixes maps and plain values in one list");
            }
            return keywords(name, value);
        }
        if (value == null) {
            throw new SigmaRuleException("search identifier '" + name + "' is empty (null)");
        }
        return keywords(name, value);
    }

    private CostedPredicate keywords(String name, Object value) throws SigmaRuleException {
        requirePlainValue(name, "keywords", value);
        try {
            return CostedPredicate.entry(FieldMatchers.compile("", value, context), "", value);
        } catch (SigmaRuleException e) {
            throw new SigmaRuleException("search identifier '" + name + "' (keywords): " + e.getMessage(), e);
        }
    }

    private CostedPredicate fieldMap(String name, Map<?, ?> map) throws SigmaRuleException {
        if (map.isEmpty()) {
            throw new SigmaRuleException("search identifier '" + name + "' is an empty map");
        }
        List<CostedPredicate> entries = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String fieldSpec = (String) entry.getKey(); // SigmaYaml makes every key a String
            requirePlainValue(name, fieldSpec, entry.getValue());
            try {
                entries.add(CostedPredicate.entry(FieldMatchers.compile(fieldSpec, entry.getValue(), context), fieldSpec,
                        entry.getValue()));
            } catch (SigmaRuleException e) {
                throw new SigmaRuleException("search identifier '" + name + "', field '" + fieldSpec + "': "
                        + e.getMessage(), e);
            }
        }
        return CostedPredicate.CHEAPEST_FIRST.and(entries);
    }

    /** Field values are scalars, null or flat lists of scalars (the FieldMatchers contract). */
    private static void requirePlainValue(String name, String fieldSpec, Object value) throws SigmaRuleException {
        boolean plain = !(value instanceof Map)
                && (!(value instanceof List<?> list) || list.stream().noneMatch(v -> v instanceof Map || v instanceof List));
        if (!plain) {
            throw new SigmaRuleException("search identifier '" + name + "', field '" + fieldSpec
                    + "': values must be plain values or a list of them, not " + DocumentFields.describe(value));
        }
    }
}
