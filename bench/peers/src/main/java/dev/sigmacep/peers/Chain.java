package dev.sigmacep.peers;

import java.time.Duration;
import java.util.Locale;

/**
 * The flagship 3-step chain (rules/wer/wer_masquerade_chain.yml) as plain Java: the step of a record, and its key.
 * <ul>
 *   <li>A: EventID 1, Image ends with {@code \wermgr.exe} or {@code \werfault.exe}, no command-line arguments;</li>
 *   <li>B: EventID 3, same Image test, Initiated "true", DestinationIp not loopback ({@code 127.*}, {@code ::1});</li>
 *   <li>C: EventID 1, ParentImage is WER, Image one of the shell/discovery tools of SigmaHQ 396f6630, minus its
 *       rundll32 WerConCpl.dll filter;</li>
 *   <li>key: Hostname + ProcessGuid (A, B) or ParentProcessGuid (C).</li>
 * </ul>
 * All string tests are case-insensitive. This runs while the input is read, before any timing.
 */
public final class Chain {
    /**
     * C must come less than 30 minutes after A: exactly 30:00.000 is out. That is Flink CEP's {@code within}
     * (a partial match is dropped once {@code t - start >= window}); the other peers are set to the same bound.
     */
    public static final Duration WINDOW = Duration.ofMinutes(30);
    public static final long WINDOW_MS = WINDOW.toMillis();

    private static final String[] WER = {"\\wermgr.exe", "\\werfault.exe"};
    private static final String[] CHILDREN = {"\\cmd.exe", "\\cscript.exe", "\\ipconfig.exe", "\\mshta.exe",
            "\\net.exe", "\\net1.exe", "\\netstat.exe", "\\nslookup.exe", "\\powershell_ise.exe", "\\powershell.exe",
            "\\pwsh.exe", "\\regsvr32.exe", "\\rundll32.exe", "\\systeminfo.exe", "\\whoami.exe", "\\wscript.exe"};

    private Chain() {
    }

    /** The step a record can play ({@link ChainEvent#NONE} for background). Null fields count as absent. */
    public static int classify(int eventId, String image, String commandLine, String parentImage, String initiated,
                               String destinationIp) {
        if (eventId == 1) {
            if (endsWithAny(image, WER) && hasNoArguments(commandLine)) return ChainEvent.START;
            if (endsWithAny(parentImage, WER) && endsWithAny(image, CHILDREN) && !rundll32Filter(image, commandLine)) {
                return ChainEvent.CHILD;
            }
            return ChainEvent.NONE;
        }
        if (eventId == 3) {
            if (endsWithAny(image, WER) && "true".equalsIgnoreCase(initiated) && !isLoopback(destinationIp)) {
                return ChainEvent.CONNECT;
            }
        }
        return ChainEvent.NONE;
    }

    /**
     * No arguments: after the program token (a leading double-quoted string, or else everything up to the first
     * whitespace) only whitespace remains. A missing command line has no arguments.
     */
    public static boolean hasNoArguments(String commandLine) {
        if (commandLine == null) return true;
        int n = commandLine.length();
        int i;
        if (n > 0 && commandLine.charAt(0) == '"') {
            int close = commandLine.indexOf('"', 1);
            i = close < 0 ? n : close + 1;
        } else {
            i = 0;
            while (i < n && !Character.isWhitespace(commandLine.charAt(i))) i++;
        }
        for (; i < n; i++) {
            if (!Character.isWhitespace(commandLine.charAt(i))) return false;
        }
        return true;
    }

    static boolean isLoopback(String ip) {
        return ip != null && (ip.startsWith("127.") || ip.equals("::1"));
    }

    /** SigmaHQ 396f6630's filter_main_rundll32 (WerConCpl.dll LaunchErcApp with -queuereporting/-responsepester). */
    static boolean rundll32Filter(String image, String commandLine) {
        if (commandLine == null || !endsWithIgnoreCase(image, "\\rundll32.exe")) return false;
        String cl = commandLine.toLowerCase(Locale.ROOT);
        return cl.contains("c:\\windows\\system32\\werconcpl.dll") && cl.contains("launchercapp ")
                && (cl.contains("-queuereporting") || cl.contains("-responsepester"));
    }

    static boolean endsWithAny(String value, String[] suffixes) {
        if (value == null) return false;
        for (String suffix : suffixes) {
            if (endsWithIgnoreCase(value, suffix)) return true;
        }
        return false;
    }

    static boolean endsWithIgnoreCase(String value, String suffix) {
        return value != null && value.regionMatches(true, value.length() - suffix.length(), suffix, 0, suffix.length());
    }

    /** The correlation key of a record: host and the WER process GUID (ParentProcessGuid for a child). */
    public static String key(String host, int kind, String processGuid, String parentProcessGuid) {
        String guid = kind == ChainEvent.CHILD ? parentProcessGuid : processGuid;
        return host + '|' + guid;
    }
}
