package dev.sigmacep.generate;

import java.util.Random;

/**
 * Ordinary endpoint activity around the injected chains. It includes what a chain detector must not mistake for
 * one: Windows Error Reporting started with arguments (it uploads reports, so it connects out too) and shells
 * started by other parents.
 */
final class Background {
    private Background() {
    }

    private static final String[][] PROGRAMS = {
            {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s BITS",
                    "C:\\Windows\\System32\\services.exe"},
            {"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
                    "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --lang=en-US",
                    "C:\\Windows\\explorer.exe"},
            {"C:\\Windows\\System32\\cmd.exe", "\"C:\\Windows\\system32\\cmd.exe\" /c dir", "C:\\Windows\\explorer.exe"},
            {"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                    "powershell.exe -NoProfile -Command Get-Date", "C:\\Windows\\explorer.exe"},
            {"C:\\Windows\\System32\\wermgr.exe", "C:\\Windows\\system32\\wermgr.exe -upload",
                    "C:\\Windows\\System32\\svchost.exe"},
            {"C:\\Windows\\System32\\WerFault.exe", "C:\\Windows\\system32\\WerFault.exe -u -p 7312 -s 1044",
                    "C:\\Windows\\System32\\svchost.exe"},
            {"C:\\Windows\\System32\\conhost.exe", "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1",
                    "C:\\Windows\\System32\\cmd.exe"},
            {"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
                    "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" /recycle",
                    "C:\\Windows\\explorer.exe"},
    };

    /** One background record; {@code sequence} makes its process GUID unique. */
    static String record(String host, int h, long time, int sequence, Random random) {
        String[] program = PROGRAMS[random.nextInt(PROGRAMS.length)];
        String guid = TelemetryGenerator.backgroundGuid(h, sequence);
        int what = random.nextInt(10);
        if (what < 3) {
            return SysmonRecords.processStart(host, time, guid, program[0], program[1],
                    TelemetryGenerator.guid(h, 0x0F00), program[2], program[2], random);
        }
        if (what < 6) {
            String destination = random.nextInt(5) == 0 ? "127.0.0.1" : "52.96." + random.nextInt(256) + "." + random.nextInt(256);
            return SysmonRecords.connection(host, time, guid, program[0], destination, random.nextBoolean() ? 443 : 80, random);
        }
        if (what < 8) {
            return SysmonRecords.imageLoad(host, time, guid, program[0], "C:\\Windows\\System32\\kernelbase.dll", random);
        }
        if (what < 9) {
            return SysmonRecords.fileCreate(host, time, guid, program[0],
                    "C:\\Users\\Public\\AppData\\Local\\Temp\\tmp" + Integer.toHexString(sequence) + ".tmp", random);
        }
        return SysmonRecords.registrySet(host, time, guid, program[0],
                "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs", "Binary Data", random);
    }
}
