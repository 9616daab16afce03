package dev.sigmacep.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.sigmacep.testing.FlatSysmon.connection;
import static dev.sigmacep.testing.FlatSysmon.processStart;

/**
 * The flagship chain's three records on one host, each step at a time of the test's choosing (flat Sysmon):
 * wermgr.exe started without arguments, its outbound connection, a cmd.exe child. With the project's rules every
 * step alerts on its own (the child also with SigmaHQ's 396f6630), and the correlations add
 * {@code wer_masquerade_netconn} (start and connection within 1m) and {@code wer_masquerade_chain} (all three
 * within 30m).
 */
public final class FlagshipChain {
    public static final String SEED_RULE = "396f6630-f3ac-44e3-bfc8-1b161bc00c4e";
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";
    private static final String CMD = "C:\\Windows\\System32\\cmd.exe";
    private static final String LOADER = "C:\\Users\\alice\\AppData\\Local\\Temp\\loader.exe";

    private FlagshipChain() {
    }

    public static String start(String host, Instant time) {
        return processStart(host, time, guid(host), WERMGR, "\"" + WERMGR + "\"", "{p-" + host + "}", LOADER);
    }

    public static String connect(String host, Instant time) {
        return connection(host, time, guid(host), WERMGR, "203.0.113.50");
    }

    public static String shell(String host, Instant time) {
        return processStart(host, time, "{c-" + host + "}", CMD, "cmd.exe /c whoami", guid(host), WERMGR);
    }

    /** The three records in their order. */
    public static List<String> records(String host, Instant start, Instant connect, Instant shell) {
        return List.of(start(host, start), connect(host, connect), shell(host, shell));
    }

    /** A process start that matches no rule: background traffic. */
    public static String notepad(String host, Instant time, int n) {
        return processStart(host, time, "{n-" + host + "-" + n + "}", "C:\\Windows\\System32\\notepad.exe",
                "notepad.exe", "{explorer-" + host + "}", "C:\\Windows\\explorer.exe");
    }

    /** The alerts of each step on its own: four. */
    public static void expectSteps(Map<String, Integer> expected, String host) {
        for (String rule : List.of("wer_noargs_start", "wer_outbound_connection", "wer_child_shell", SEED_RULE)) {
            AlertCounts.expectOnEach(expected, rule, host);
        }
    }

    /** The steps' alerts and both correlations': six. */
    public static void expectAll(Map<String, Integer> expected, String host) {
        expectSteps(expected, host);
        AlertCounts.expectOnEach(expected, "wer_masquerade_netconn", host);
        AlertCounts.expectOnEach(expected, "wer_masquerade_chain", host);
    }

    private static String guid(String host) {
        return "{g-" + host + "}";
    }
}
