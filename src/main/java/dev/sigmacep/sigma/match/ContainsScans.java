package dev.sigmacep.sigma.match;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@link ContainsScan}s of one rule's detection, one per field: made by the detection's compiler and handed to
 * {@link FieldMatchers#compile} for each of its entries, so that the entries on a field share one scan of its value.
 */
public final class ContainsScans {
    private final Map<String, ContainsScan> byField = new HashMap<>();

    ContainsScan of(String field) {
        return byField.computeIfAbsent(field, f -> new ContainsScan());
    }
}
