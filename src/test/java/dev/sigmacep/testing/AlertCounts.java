package dev.sigmacep.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts alert JSON lines by {@code <rule name, else rule id>@<host>}, the unit end-to-end tests assert on. */
public final class AlertCounts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertCounts() {
    }

    public static Map<String, Integer> byRuleAndHost(List<String> alerts) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String alert : alerts) {
            JsonNode node = parse(alert);
            String rule = node.get("rule_name").isNull() ? node.get("rule_id").asText() : node.get("rule_name").asText();
            counts.merge(rule + "@" + node.get("host").asText(), 1, Integer::sum);
        }
        return counts;
    }

    /** Expected counts: one alert of the rule on each of the hosts. */
    public static void expectOnEach(Map<String, Integer> expected, String rule, String... hosts) {
        for (String host : hosts) {
            expected.merge(rule + "@" + host, 1, Integer::sum);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
