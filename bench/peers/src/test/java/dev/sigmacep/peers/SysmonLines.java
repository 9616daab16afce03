package dev.sigmacep.peers;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Hand-made flat Sysmon records (the fields the chain reads, in the generator's shape) for tests. */
final class SysmonLines {
    static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";
    static final String WERFAULT = "C:\\Windows\\System32\\WerFault.exe";
    static final String CMD = "C:\\Windows\\System32\\cmd.exe";
    static final String RUNDLL32 = "C:\\Windows\\System32\\rundll32.exe";
    static final String LOADER = "C:\\Users\\Public\\Downloads\\update.exe";
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final Instant base;
    private final List<String> lines = new ArrayList<>();

    SysmonLines(Instant base) {
        this.base = base;
    }

    List<String> lines() {
        return lines;
    }

    private static String q(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private String time(Duration at) {
        return UTC.format(base.plus(at));
    }

    SysmonLines processStart(String host, Duration at, String guid, String image, String commandLine,
                             String parentGuid, String parentImage) {
        lines.add("{\"SourceName\":\"Microsoft-Windows-Sysmon\",\"Hostname\":" + q(host) + ",\"EventID\":1"
                + ",\"UtcTime\":" + q(time(at)) + ",\"ProcessGuid\":" + q(guid) + ",\"ProcessId\":\"4212\""
                + ",\"Image\":" + q(image) + ",\"CommandLine\":" + q(commandLine)
                + ",\"User\":\"CORP\\\\user\",\"Hashes\":{\"ignored\":[1,2]}"
                + ",\"ParentProcessGuid\":" + q(parentGuid) + ",\"ParentImage\":" + q(parentImage) + "}");
        return this;
    }

    SysmonLines connection(String host, Duration at, String guid, String image, String initiated, String destination) {
        lines.add("{\"SourceName\":\"Microsoft-Windows-Sysmon\",\"Hostname\":" + q(host) + ",\"EventID\":3"
                + ",\"UtcTime\":" + q(time(at)) + ",\"ProcessGuid\":" + q(guid) + ",\"Image\":" + q(image)
                + ",\"Protocol\":\"tcp\",\"Initiated\":" + q(initiated) + ",\"DestinationIp\":" + q(destination)
                + ",\"DestinationPort\":\"443\"}");
        return this;
    }

    /** Background of the given process: an image load (EventID 7) and a DNS query (22). */
    SysmonLines background(String host, Duration at, String guid, String image) {
        lines.add("{\"Hostname\":" + q(host) + ",\"EventID\":7,\"UtcTime\":" + q(time(at)) + ",\"ProcessGuid\":"
                + q(guid) + ",\"Image\":" + q(image) + ",\"ImageLoaded\":\"C:\\\\Windows\\\\System32\\\\ntdll.dll\"}");
        lines.add("{\"Hostname\":" + q(host) + ",\"EventID\":\"22\",\"UtcTime\":" + q(time(at.plusMillis(7)))
                + ",\"ProcessGuid\":" + q(guid) + ",\"Image\":" + q(image) + ",\"QueryName\":\"example.net\"}");
        return this;
    }

    /** A (no arguments, quoted), B (outbound) and C (cmd.exe child) of one WER process. */
    SysmonLines chain(String host, String guid, Duration start, Duration toConnect, Duration toChild) {
        processStart(host, start, guid, WERMGR, '"' + WERMGR + '"', "{loader-" + guid + "}", LOADER);
        connection(host, start.plus(toConnect), guid, WERMGR, "true", "203.0.113.50");
        processStart(host, start.plus(toChild), "{child-" + guid + "-" + toChild.toMillis() + "}", CMD,
                '"' + CMD + '"', guid, WERMGR);
        return this;
    }
}
