package dev.sigmacep.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Flat Sysmon process starts (1) and connections (3) as Microsoft Sentinel ASIM rows ({@code asim-process},
 * {@code asim-network}), as Sentinel's own Sysmon parsers write them: GUIDs without braces, the direction and
 * protocol in ASIM's words, every column a table of Sysmon names. Other events have no ASIM schema mapped here.
 */
final class AsimRows {
    private AsimRows() {
    }

    private static final Map<String, String> PROCESS = Map.ofEntries(
            Map.entry("TargetProcessName", "Image"), Map.entry("TargetProcessCommandLine", "CommandLine"),
            Map.entry("TargetProcessGuid", "ProcessGuid"), Map.entry("TargetProcessId", "ProcessId"),
            Map.entry("TargetUsername", "User"), Map.entry("TargetProcessCurrentDirectory", "CurrentDirectory"),
            Map.entry("TargetProcessIntegrityLevel", "IntegrityLevel"),
            Map.entry("TargetProcessFileOriginalName", "OriginalFileName"),
            Map.entry("TargetProcessFileCompany", "Company"), Map.entry("TargetProcessFileDescription", "Description"),
            Map.entry("TargetProcessFileProduct", "Product"), Map.entry("TargetProcessFileVersion", "FileVersion"),
            Map.entry("ActingProcessName", "ParentImage"), Map.entry("ActingProcessCommandLine", "ParentCommandLine"),
            Map.entry("ActingProcessGuid", "ParentProcessGuid"), Map.entry("ActingProcessId", "ParentProcessId"),
            Map.entry("ActorUsername", "ParentUser"));

    private static final Map<String, String> NETWORK = Map.ofEntries(
            Map.entry("SrcProcessName", "Image"), Map.entry("SrcProcessGuid", "ProcessGuid"),
            Map.entry("SrcProcessId", "ProcessId"), Map.entry("SrcUsername", "User"),
            Map.entry("SrcIpAddr", "SourceIp"), Map.entry("SrcPortNumber", "SourcePort"),
            Map.entry("DstIpAddr", "DestinationIp"), Map.entry("DstPortNumber", "DestinationPort"),
            Map.entry("NetworkProtocol", "Protocol"), Map.entry("NetworkDirection", "Initiated"));

    /** @return the row, or null for an event without an ASIM schema here */
    static ObjectNode of(ObjectNode flat) {
        int eventId = flat.get("EventID").asInt();
        Map<String, String> columns = eventId == 1 ? PROCESS : eventId == 3 ? NETWORK : null;
        if (columns == null) {
            return null;
        }
        ObjectNode data = RecordShape.eventData(flat);
        ObjectNode row = RecordShape.newObject();
        row.put("TimeGenerated", flat.get("TimeCreated").asText());
        // Sysmon's UtcTime, the event time, as ISO 8601
        row.put("EventStartTime", data.get("UtcTime").asText().replace(' ', 'T') + "Z");
        row.put("EventSchema", eventId == 1 ? "ProcessEvent" : "NetworkSession");
        row.put("EventType", eventId == 1 ? "ProcessCreated" : "EndpointNetworkSession");
        row.put("EventProduct", "Sysmon");
        row.put("EventVendor", "Microsoft");
        row.put("DvcHostname", flat.get("Hostname").asText());
        // a column whose Sysmon field the event lacks is an empty string, as KQL exports write it
        columns.keySet().stream().sorted().forEach(column -> {
            JsonNode value = data.get(columns.get(column));
            row.put(column, value == null ? "" : asim(column, value.asText()));
        });
        return row;
    }

    private static String asim(String column, String value) {
        if (column.endsWith("Guid")) {
            return value.startsWith("{") && value.endsWith("}") ? value.substring(1, value.length() - 1) : value;
        }
        return switch (column) {
            case "NetworkDirection" -> value.equals("true") ? "Outbound" : "Inbound";
            case "NetworkProtocol" -> value.toUpperCase(java.util.Locale.ROOT);
            default -> value;
        };
    }
}
