package dev.sigmacep.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Builds flat Sysmon records (the NXLog / Security-Datasets shape) for tests. */
public final class FlatSysmon {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    public static final Instant T0 = Instant.parse("2024-03-12T10:00:00Z");

    private FlatSysmon() {
    }

    private static ObjectNode base(int eventId, String host, Instant time) {
        ObjectNode record = JSON.createObjectNode();
        record.put("SourceName", "Microsoft-Windows-Sysmon");
        record.put("Channel", "Microsoft-Windows-Sysmon/Operational");
        record.put("Hostname", host);
        record.put("EventID", eventId);
        record.put("@timestamp", time.toString());
        record.put("UtcTime", UTC_TIME.format(time));
        return record;
    }

    public static String processStart(String host, Instant time, String guid, String image, String commandLine,
                                      String parentGuid, String parentImage) {
        ObjectNode record = base(1, host, time);
        record.put("ProcessGuid", guid);
        record.put("ProcessId", String.valueOf(Math.abs(guid.hashCode() % 9000) + 100));
        record.put("Image", image);
        record.put("CommandLine", commandLine);
        record.put("User", "CORP\\alice");
        record.put("ParentProcessGuid", parentGuid);
        record.put("ParentImage", parentImage);
        return record.toString();
    }

    public static String connection(String host, Instant time, String guid, String image, String destinationIp) {
        ObjectNode record = base(3, host, time);
        record.put("ProcessGuid", guid);
        record.put("Image", image);
        record.put("Protocol", "tcp");
        record.put("Initiated", "true");
        record.put("SourceIp", "10.0.0.15");
        record.put("SourcePort", "50123");
        record.put("DestinationIp", destinationIp);
        record.put("DestinationPort", "443");
        return record.toString();
    }
}
