package dev.sigmacep.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The input shapes {@code generate --shape} writes, named as in {@code event/field-mappings.yaml}. The generator makes
 * flat Sysmon records; every other shape is that record rewritten by a table of where each part goes, so all shapes
 * carry one fleet and decode to the same events. A shape may skip an event it cannot carry (ASIM has no schema here
 * for image loads, files or registry events).
 */
public final class RecordShape {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** the collector's own members of a flat record; the rest is EventData */
    private static final Set<String> ENVELOPE = Set.of("SourceName", "ProviderGuid", "Level", "Keywords", "Channel",
            "Hostname", "TimeCreated", "@timestamp", "EventID", "Message", "Task");

    /** The parts of a flat record a table places. */
    private enum Part { HOST, EVENT_ID, EVENT_ID_TEXT, CHANNEL, PROVIDER, TIME, EVENT_DATA, EVENT_DATA_TEXT }

    /** Where one part goes: a dotted path (a member name may hold '#'), or a constant value. */
    private record Placement(String path, Part part, String constant) {
        static Placement of(String path, Part part) {
            return new Placement(path, part, null);
        }

        static Placement constant(String path, String value) {
            return new Placement(path, null, value);
        }
    }

    public static final List<String> NAMES =
            List.of("sysmon-flat", "evtx-dump", "winlogbeat", "ecs", "sentinel", "asim");

    private static final Map<String, List<Placement>> ENVELOPES = Map.of(
            // evtx_dump: the event XML as JSON, attributes under #attributes
            "evtx-dump", List.of(
                    Placement.constant("Event.#attributes.xmlns", "http://schemas.microsoft.com/win/2004/08/events/event"),
                    Placement.of("Event.System.Provider.#attributes.Name", Part.PROVIDER),
                    Placement.of("Event.System.EventID", Part.EVENT_ID),
                    Placement.of("Event.System.TimeCreated.#attributes.SystemTime", Part.TIME),
                    Placement.of("Event.System.Channel", Part.CHANNEL),
                    Placement.of("Event.System.Computer", Part.HOST),
                    Placement.of("Event.EventData", Part.EVENT_DATA)),
            // Winlogbeat 6, before ECS
            "winlogbeat", List.of(
                    Placement.of("@timestamp", Part.TIME),
                    Placement.of("source_name", Part.PROVIDER),
                    Placement.of("event_id", Part.EVENT_ID),
                    Placement.of("log_name", Part.CHANNEL),
                    Placement.of("computer_name", Part.HOST),
                    Placement.constant("type", "wineventlog"),
                    Placement.of("event_data", Part.EVENT_DATA)),
            // Winlogbeat 8 (ECS): the event id as text, as it writes it
            "ecs", List.of(
                    Placement.of("@timestamp", Part.TIME),
                    Placement.of("host.name", Part.HOST),
                    Placement.of("event.code", Part.EVENT_ID_TEXT),
                    Placement.of("event.provider", Part.PROVIDER),
                    Placement.constant("event.kind", "event"),
                    Placement.of("winlog.channel", Part.CHANNEL),
                    Placement.of("winlog.provider_name", Part.PROVIDER),
                    Placement.of("winlog.event_id", Part.EVENT_ID_TEXT),
                    Placement.of("winlog.computer_name", Part.HOST),
                    Placement.of("winlog.event_data", Part.EVENT_DATA)),
            // Log Analytics table WindowsEvent: EventData as JSON text
            "sentinel", List.of(
                    Placement.of("TimeGenerated", Part.TIME),
                    Placement.of("Computer", Part.HOST),
                    Placement.of("EventID", Part.EVENT_ID),
                    Placement.of("Channel", Part.CHANNEL),
                    Placement.of("Provider", Part.PROVIDER),
                    Placement.constant("Type", "WindowsEvent"),
                    Placement.of("EventData", Part.EVENT_DATA_TEXT)));

    private final Function<ObjectNode, ObjectNode> rewrite;

    private RecordShape(Function<ObjectNode, ObjectNode> rewrite) {
        this.rewrite = rewrite;
    }

    /** @throws IllegalArgumentException naming the shapes there are */
    public static RecordShape named(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("sysmon-flat")) {
            return new RecordShape(null);
        }
        if (key.equals("asim")) {
            return new RecordShape(AsimRows::of);
        }
        List<Placement> envelope = ENVELOPES.get(key);
        if (envelope == null) {
            throw new IllegalArgumentException("--shape " + name + " is not supported (supported: "
                    + String.join(", ", NAMES) + ")");
        }
        return new RecordShape(flat -> placed(flat, envelope));
    }

    /** @return the record in this shape, or null when the shape cannot carry its event */
    public String write(String flatRecord) {
        if (rewrite == null) {
            return flatRecord;
        }
        try {
            ObjectNode out = rewrite.apply((ObjectNode) JSON.readTree(flatRecord));
            return out == null ? null : JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the generator wrote a record that is not JSON", e);
        }
    }

    /** The EventData members of a flat record, in their order. */
    static ObjectNode eventData(ObjectNode flat) {
        ObjectNode data = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = flat.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (!ENVELOPE.contains(member.getKey())) {
                data.set(member.getKey(), member.getValue());
            }
        }
        return data;
    }

    static ObjectNode newObject() {
        return JSON.createObjectNode();
    }

    private static ObjectNode placed(ObjectNode flat, List<Placement> envelope) {
        ObjectNode out = JSON.createObjectNode();
        for (Placement placement : envelope) {
            JsonNode value = placement.part() == null ? JSON.getNodeFactory().textNode(placement.constant())
                    : part(flat, placement.part());
            put(out, placement.path(), value);
        }
        return out;
    }

    private static JsonNode part(ObjectNode flat, Part part) {
        return switch (part) {
            case HOST -> flat.get("Hostname");
            case EVENT_ID -> flat.get("EventID");
            case EVENT_ID_TEXT -> JSON.getNodeFactory().textNode(flat.get("EventID").asText());
            case CHANNEL -> flat.get("Channel");
            case PROVIDER -> flat.get("SourceName");
            case TIME -> flat.get("TimeCreated");
            case EVENT_DATA -> eventData(flat);
            case EVENT_DATA_TEXT -> JSON.getNodeFactory().textNode(eventData(flat).toString());
        };
    }

    static void put(ObjectNode root, String path, JsonNode value) {
        String[] names = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < names.length - 1; i++) {
            JsonNode child = node.get(names[i]);
            node = child instanceof ObjectNode object ? object : node.putObject(names[i]);
        }
        node.set(names[names.length - 1], value);
    }
}
