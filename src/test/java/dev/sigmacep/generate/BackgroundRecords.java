package dev.sigmacep.generate;

import java.util.Random;

/** The generator's ordinary activity for tests and benchmarks that need hosts without any chain. */
public final class BackgroundRecords {
    private BackgroundRecords() {
    }

    /** One record of host number {@code h} (its process GUIDs come from it); the same arguments, the same record. */
    public static String record(String host, int h, long timeMillis) {
        return Background.record(host, h, timeMillis, 0, new Random(h));
    }

    /** A service host's svchost start, which no project rule matches: moves event time, creates no state. */
    public static String svchostStart(String host, int h, long timeMillis) {
        String svchost = "C:\\Windows\\System32\\svchost.exe";
        return SysmonRecords.processStart(host, timeMillis, TelemetryGenerator.backgroundGuid(h, 0), svchost,
                svchost + " -k netsvcs", TelemetryGenerator.guid(h, 0x0F00), "C:\\Windows\\System32\\services.exe",
                "C:\\Windows\\System32\\services.exe", new Random(h));
    }
}
