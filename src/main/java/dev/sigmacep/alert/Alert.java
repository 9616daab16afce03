package dev.sigmacep.alert;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One detection: a single-event Sigma rule match or a correlation match, with the evidence records in
 * event-time order exactly as they were read. Field names follow the alert schema in DESIGN.md.
 */
public record Alert(String ruleId, String ruleName, String ruleTitle, String level, List<String> tags, String host,
                    LinkedHashMap<String, String> groupBy, long firstEventMicros, long lastEventMicros,
                    List<String> events) implements Serializable {

    public Alert {
        tags = List.copyOf(tags);
        events = List.copyOf(events);
    }
}
