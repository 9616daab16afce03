package dev.sigmacep.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Dead-letter and late records as one-line JSON:
 * {@code {"kind":"dead-letter"|"late"|"over-cap","reason":...,"rule_id":...,"record":"<raw text>"}} ({@code rule_id}:
 * the correlation a late or over-cap event missed, when it has an id).
 */
public final class DeadLetterJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterJson() {
    }

    public static String toJson(String kind, String reason, String ruleId, String raw) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", kind);
        node.put("reason", reason);
        if (ruleId != null) {
            node.put("rule_id", ruleId);
        }
        node.put("record", raw);
        return node.toString();
    }
}
