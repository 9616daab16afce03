package dev.sigmacep.sigma.load;

import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.condition.ConditionParser;
import dev.sigmacep.sigma.model.Condition;
import dev.sigmacep.sigma.model.Detection;
import dev.sigmacep.sigma.model.FieldItem;
import dev.sigmacep.sigma.model.FieldSpec;
import dev.sigmacep.sigma.model.Search;
import dev.sigmacep.sigma.model.SearchIdentifier;
import dev.sigmacep.sigma.yaml.DocumentFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code detection} section (or a filter's) into the typed {@link Detection}: every search identifier a
 * map (all of its entries), a list of maps (any of them) or keywords (plain values), every entry's modifier chain
 * checked, the condition parsed. Errors name the search identifier and field.
 */
public final class DetectionParser {
    private DetectionParser() {
    }

    /** @param detection the detection map; {@code condition} is read from it, every other key is a search identifier */
    public static Detection parse(Map<String, Object> detection) throws SigmaRuleException {
        if (detection.containsKey("timeframe")) {
            throw new SigmaRuleException("detection.timeframe is Sigma 1 aggregation syntax; Sigma 2 expresses "
                    + "time windows with correlation rules");
        }
        if (!detection.containsKey("condition")) {
            throw new SigmaRuleException("detection has no condition");
        }
        List<SearchIdentifier> identifiers = new ArrayList<>();
        for (Map.Entry<String, Object> entry : detection.entrySet()) {
            if (!entry.getKey().equals("condition")) {
                identifiers.add(new SearchIdentifier(entry.getKey(), search(entry.getKey(), entry.getValue())));
            }
        }
        if (identifiers.isEmpty()) {
            throw new SigmaRuleException("detection has no search identifier besides the condition");
        }
        Condition condition = ConditionParser.parseDetectionCondition(detection.get("condition"),
                identifiers.stream().map(SearchIdentifier::name).toList());
        return new Detection(identifiers, condition);
    }

    private static Search search(String name, Object value) throws SigmaRuleException {
        if (value instanceof Map<?, ?> map) {
            return new Search.FieldMaps(List.of(fieldMap(name, map)));
        }
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                throw new SigmaRuleException("search identifier '" + name + "' is an empty list");
            }
            long maps = list.stream().filter(item -> item instanceof Map).count();
            if (maps == list.size()) {
                List<List<FieldItem>> alternatives = new ArrayList<>();
                for (Object item : list) {
                    alternatives.add(fieldMap(name, (Map<?, ?>) item));
                }
                return new Search.FieldMaps(alternatives);
            }
            if (maps > 0) {
                throw new SigmaRuleException("search identifier '" + name + "' mixes maps and plain values in one list");
            }
        } else if (value == null) {
            throw new SigmaRuleException("search identifier '" + name + "' is empty (null)");
        }
        requirePlainValue(name, "keywords", value);
        return new Search.Keywords(new FieldItem(FieldSpec.parse(""), value));
    }

    private static List<FieldItem> fieldMap(String name, Map<?, ?> map) throws SigmaRuleException {
        if (map.isEmpty()) {
            throw new SigmaRuleException("search identifier '" + name + "' is an empty map");
        }
        List<FieldItem> items = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String written = (String) entry.getKey(); // SigmaYaml makes every key a String
            requirePlainValue(name, written, entry.getValue());
            try {
                items.add(new FieldItem(FieldSpec.parse(written), entry.getValue()));
            } catch (SigmaRuleException e) {
                throw new SigmaRuleException("search identifier '" + name + "', field '" + written + "': "
                        + e.getMessage(), e);
            }
        }
        return items;
    }

    /** Field values are scalars, null or flat lists of scalars. */
    private static void requirePlainValue(String name, String written, Object value) throws SigmaRuleException {
        boolean plain = !(value instanceof Map)
                && (!(value instanceof List<?> list) || list.stream().noneMatch(v -> v instanceof Map || v instanceof List));
        if (!plain) {
            throw new SigmaRuleException("search identifier '" + name + "', field '" + written
                    + "': values must be plain values or a list of them, not " + DocumentFields.describe(value));
        }
    }
}
