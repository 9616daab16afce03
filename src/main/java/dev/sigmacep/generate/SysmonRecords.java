package dev.sigmacep.generate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Flat Sysmon records as NXLog and the Security-Datasets write them: the Windows envelope, the rendered
 * {@code Message}, then every EventData member at the top level.
 */
final class SysmonRecords {
    private SysmonRecords() {
    }

    static String processStart(String host, long time, String guid, String image, String commandLine,
                               String parentGuid, String parentImage, String parentCommandLine, Random random) {
        Map<String, String> data = processData(time, guid, image, random);
        putFileMetadata(data, image);
        data.put("CommandLine", commandLine);
        data.put("CurrentDirectory", "C:\\Windows\\system32\\");
        data.put("User", "CORP\\" + user(random));
        data.put("LogonGuid", String.format("{3e91c0d7-0a11-65f0-%04x-000000000000}", random.nextInt(0x10000)));
        data.put("LogonId", "0x" + Integer.toHexString(0x10000 + random.nextInt(0xfffff)));
        data.put("TerminalSessionId", "1");
        data.put("IntegrityLevel", "Medium");
        data.put("Hashes", hashes(random));
        data.put("ParentProcessGuid", parentGuid);
        data.put("ParentProcessId", Integer.toString(pid(random)));
        data.put("ParentImage", parentImage);
        data.put("ParentCommandLine", parentCommandLine);
        data.put("ParentUser", data.get("User"));
        return record(host, time, 1, "Process Create:", data, random);
    }

    static String connection(String host, long time, String guid, String image, String destinationIp, int port,
                             Random random) {
        Map<String, String> data = processData(time, guid, image, random);
        data.put("User", "CORP\\" + user(random));
        data.put("Protocol", "tcp");
        data.put("Initiated", "true");
        data.put("SourceIsIpv6", "false");
        data.put("SourceIp", "10.20." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
        data.put("SourceHostname", "-");
        data.put("SourcePort", Integer.toString(49152 + random.nextInt(16000)));
        data.put("SourcePortName", "-");
        data.put("DestinationIsIpv6", "false");
        data.put("DestinationIp", destinationIp);
        data.put("DestinationHostname", "-");
        data.put("DestinationPort", Integer.toString(port));
        data.put("DestinationPortName", port == 443 ? "https" : port == 80 ? "http" : "-");
        return record(host, time, 3, "Network connection detected:", data, random);
    }

    static String imageLoad(String host, long time, String guid, String image, String loaded, Random random) {
        Map<String, String> data = processData(time, guid, image, random);
        data.put("ImageLoaded", loaded);
        putFileMetadata(data, loaded);
        data.put("Hashes", hashes(random));
        data.put("Signed", "true");
        data.put("Signature", "Microsoft Windows");
        data.put("SignatureStatus", "Valid");
        data.put("User", "NT AUTHORITY\\SYSTEM");
        return record(host, time, 7, "Image loaded:", data, random);
    }

    static String fileCreate(String host, long time, String guid, String image, String target, Random random) {
        Map<String, String> data = processData(time, guid, image, random);
        data.put("TargetFilename", target);
        data.put("CreationUtcTime", TelemetryGenerator.utcTime(time - 1000));
        data.put("User", "CORP\\" + user(random));
        return record(host, time, 11, "File created:", data, random);
    }

    static String registrySet(String host, long time, String guid, String image, String key, String details,
                              Random random) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("RuleName", "-");
        data.put("EventType", "SetValue");
        data.put("UtcTime", TelemetryGenerator.utcTime(time));
        data.put("ProcessGuid", guid);
        data.put("ProcessId", Integer.toString(pid(random)));
        data.put("Image", image);
        data.put("TargetObject", key);
        data.put("Details", details);
        data.put("User", "NT AUTHORITY\\SYSTEM");
        return record(host, time, 13, "Registry value set:", data, random);
    }

    /** The members every event of a process begins with, in Sysmon's order. */
    private static Map<String, String> processData(long time, String guid, String image, Random random) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("RuleName", "-");
        data.put("UtcTime", TelemetryGenerator.utcTime(time));
        data.put("ProcessGuid", guid);
        data.put("ProcessId", Integer.toString(pid(random)));
        data.put("Image", image);
        return data;
    }

    /** The version resource of a Windows binary, as Sysmon copies it into process starts and image loads. */
    private static void putFileMetadata(Map<String, String> data, String path) {
        data.put("FileVersion", "10.0.19041.3636 (WinBuild.160101.0800)");
        data.put("Description", fileName(path));
        data.put("Product", "Microsoft\u00ae Windows\u00ae Operating System");
        data.put("Company", "Microsoft Corporation");
        data.put("OriginalFileName", fileName(path));
    }

    private static String record(String host, long time, int eventId, String title, Map<String, String> data,
                                 Random random) {
        // the collector writes its own time a little after the event (UtcTime stays the event time)
        String collected = Instant.ofEpochMilli(time + 200 + random.nextInt(2000)).toString();
        StringBuilder message = new StringBuilder(title);
        data.forEach((name, value) -> message.append("\r\n").append(name).append(": ").append(value));
        return TelemetryGenerator.json(out -> {
            out.writeStringField("SourceName", "Microsoft-Windows-Sysmon");
            out.writeStringField("ProviderGuid", "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}");
            out.writeStringField("Level", "4");
            out.writeStringField("Keywords", "0x8000000000000000");
            out.writeStringField("Channel", "Microsoft-Windows-Sysmon/Operational");
            out.writeStringField("Hostname", host);
            out.writeStringField("TimeCreated", collected);
            out.writeStringField("@timestamp", collected);
            out.writeNumberField("EventID", eventId);
            out.writeStringField("Message", message.toString());
            out.writeStringField("Task", Integer.toString(eventId));
            for (Map.Entry<String, String> member : data.entrySet()) {
                out.writeStringField(member.getKey(), member.getValue());
            }
        });
    }

    private static final String[] USERS = {"mbauer", "jdoe", "asmith", "kchen", "lgarcia", "svc_backup"};

    private static String user(Random random) {
        return USERS[random.nextInt(USERS.length)];
    }

    private static int pid(Random random) {
        return 4 * (100 + random.nextInt(6000));
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('\\') + 1);
    }

    private static String hashes(Random random) {
        return "SHA1=" + hex(random, 40) + ",MD5=" + hex(random, 32) + ",SHA256=" + hex(random, 64) + ",IMPHASH="
                + hex(random, 32);
    }

    private static String hex(Random random, int digits) {
        StringBuilder out = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            out.append("0123456789ABCDEF".charAt(random.nextInt(16)));
        }
        return out.toString();
    }
}
