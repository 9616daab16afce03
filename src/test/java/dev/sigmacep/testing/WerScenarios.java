package dev.sigmacep.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.Replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static dev.sigmacep.testing.AlertCounts.expectOnEach;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WER scenarios the record-form tests replay in each form (flat Sysmon, Sentinel ASIM, ECS, Elastic Defend):
 * one host each, so every rule must fire exactly where it should. The activity is data; each test writes it in its
 * forms, and {@link #sysmon} writes the flat Sysmon form they all compare with, by {@link #withoutEvidence}.
 */
public final class WerScenarios {
    public static final Instant T0 = Instant.parse("2024-03-12T10:00:00.125Z");
    public static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";
    public static final String WERFAULT = "C:\\Windows\\System32\\WerFault.exe";
    public static final String CMD = "C:\\Windows\\System32\\cmd.exe";
    public static final String LOADER = "C:\\Users\\alice\\AppData\\Local\\Temp\\loader.exe";
    /** The address of every scenario's own host. */
    public static final String LOCAL_IP = "10.0.4.21";
    public static final String SEED_RULE = "396f6630-f3ac-44e3-bfc8-1b161bc00c4e";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private WerScenarios() {
    }

    /** One piece of activity: a process start or a connection. */
    public interface Activity {
        String host();

        Instant time();
    }

    public record ProcessStart(String host, Instant time, String guid, int pid, String image, String commandLine,
                               String parentGuid, int parentPid, String parentImage) implements Activity {
    }

    /** @param outbound whether the process opened the connection (Sysmon's {@code Initiated}) */
    public record Connection(String host, Instant time, String guid, int pid, String image, boolean outbound,
                             String remoteIp, int remotePort) implements Activity {
    }

    public static String guid(int n) {
        return String.format("3e91c0d7-0c%02x-65f0-02d1-0000%08x", n, n * 7919);
    }

    private static Instant at(Duration offset) {
        return T0.plus(offset);
    }

    public static List<Activity> activity() {
        List<Activity> a = new ArrayList<>();
        // the flagship chain: quoted path without arguments, outbound connection, shell child
        String chain = "WKS-CHAIN.contoso.local";
        a.add(new ProcessStart(chain, T0, guid(1), 4212, WERMGR, "\"" + WERMGR + "\"", guid(101), 6120, LOADER));
        a.add(new Connection(chain, at(Duration.ofSeconds(20)), guid(1), 4212, WERMGR, true, "203.0.113.50", 443));
        a.add(new ProcessStart(chain, at(Duration.ofMinutes(5)), guid(201), 5300, CMD, "cmd.exe /c whoami", guid(1), 4212, WERMGR));
        // upper-case WerFault, a host without domain: the chain fires, the SigmaHQ rule (wermgr parents only) does not
        String upper = "C:\\WINDOWS\\SYSTEM32\\WERFAULT.EXE";
        a.add(new ProcessStart("WKS-UPPER", T0, guid(2), 4300, upper, upper + "   ", guid(102), 6200, LOADER));
        a.add(new Connection("WKS-UPPER", at(Duration.ofSeconds(5)), guid(2), 4300, upper, true, "198.51.100.7", 8443));
        a.add(new ProcessStart("WKS-UPPER", at(Duration.ofMinutes(2)), guid(202), 5400,
                "C:\\WINDOWS\\SYSTEM32\\WHOAMI.EXE", "whoami /all", guid(2), 4300, upper));
        // arguments: no masquerading start; the connection and the child still match on their own
        String args = "WKS-ARGS.contoso.local";
        a.add(new ProcessStart(args, T0, guid(3), 4400, WERMGR, WERMGR + " -upload", guid(103), 700,
                "C:\\Windows\\System32\\svchost.exe"));
        a.add(new Connection(args, at(Duration.ofSeconds(10)), guid(3), 4400, WERMGR, true, "20.42.73.29", 443));
        a.add(new ProcessStart(args, at(Duration.ofMinutes(1)), guid(203), 5500, CMD, "cmd.exe", guid(3), 4400, WERMGR));
        // loopback destinations only (IPv4 and IPv6): not an outbound connection
        String loop = "WKS-LOOP.contoso.local";
        a.add(new ProcessStart(loop, T0, guid(4), 4500, WERMGR, WERMGR, guid(104), 6400, LOADER));
        a.add(new Connection(loop, at(Duration.ofSeconds(10)), guid(4), 4500, WERMGR, true, "127.0.0.1", 8080));
        a.add(new Connection(loop, at(Duration.ofSeconds(11)), guid(4), 4500, WERMGR, true, "::1", 8080));
        a.add(new ProcessStart(loop, at(Duration.ofMinutes(1)), guid(204), 5600, CMD, "cmd.exe", guid(4), 4500, WERMGR));
        // an inbound connection to the WER process: not initiated by it
        String inbound = "WKS-INBOUND.contoso.local";
        a.add(new ProcessStart(inbound, T0, guid(5), 4600, WERFAULT, WERFAULT, guid(105), 6500, LOADER));
        a.add(new Connection(inbound, at(Duration.ofSeconds(10)), guid(5), 4600, WERFAULT, false, "198.51.100.9", 51000));
        a.add(new ProcessStart(inbound, at(Duration.ofMinutes(1)), guid(205), 5700, CMD, "cmd.exe", guid(5), 4600, WERFAULT));
        // the connection comes from another process with the same image
        String other = "WKS-OTHER.contoso.local";
        a.add(new ProcessStart(other, T0, guid(6), 4700, WERMGR, WERMGR, guid(106), 6600, LOADER));
        a.add(new Connection(other, at(Duration.ofSeconds(10)), guid(7), 4800, WERMGR, true, "203.0.113.51", 443));
        // connection after 61 s (outside 1m), child after 31 min (outside 30m)
        String slow = "WKS-SLOW.contoso.local";
        a.add(new ProcessStart(slow, T0, guid(8), 4900, WERFAULT, WERFAULT, guid(108), 6700, LOADER));
        a.add(new Connection(slow, at(Duration.ofSeconds(61)), guid(8), 4900, WERFAULT, true, "203.0.113.53", 443));
        a.add(new ProcessStart(slow, at(Duration.ofMinutes(31)), guid(208), 5800, CMD, "cmd.exe", guid(8), 4900, WERFAULT));
        return a;
    }

    /** Every GUID {@link #activity()} uses, for tests whose forms write process ids of their own. */
    public static final int[] GUIDS = {1, 2, 3, 4, 5, 6, 7, 8, 101, 102, 103, 104, 105, 106, 108, 201, 202, 203, 204, 205, 208};

    /** The alerts of {@link #activity()}, per rule and host (24). */
    public static Map<String, Integer> expected() {
        Map<String, Integer> expected = new TreeMap<>();
        String chain = "WKS-CHAIN.contoso.local";
        String args = "WKS-ARGS.contoso.local";
        String loop = "WKS-LOOP.contoso.local";
        String inbound = "WKS-INBOUND.contoso.local";
        String other = "WKS-OTHER.contoso.local";
        String slow = "WKS-SLOW.contoso.local";
        expectOnEach(expected, "wer_noargs_start", chain, "WKS-UPPER", loop, inbound, other, slow);
        expectOnEach(expected, "wer_outbound_connection", chain, "WKS-UPPER", args, other, slow);
        expectOnEach(expected, "wer_child_shell", chain, "WKS-UPPER", args, loop, inbound, slow);
        expectOnEach(expected, SEED_RULE, chain, args, loop);
        expectOnEach(expected, "wer_masquerade_netconn", chain, "WKS-UPPER");
        expectOnEach(expected, "wer_masquerade_chain", chain, "WKS-UPPER");
        return expected;
    }

    /** The activity as a flat Sysmon record (event 1 or 3). */
    public static String sysmon(Activity activity) {
        if (activity instanceof ProcessStart p) {
            ObjectNode r = sysmonBase(1, p.host(), p.time());
            r.put("ProcessGuid", "{" + p.guid() + "}");
            r.put("ProcessId", String.valueOf(p.pid()));
            r.put("Image", p.image());
            r.put("CommandLine", p.commandLine());
            r.put("CurrentDirectory", "C:\\Users\\alice\\");
            r.put("User", "CONTOSO\\alice");
            r.put("IntegrityLevel", "Medium");
            r.put("ParentProcessGuid", "{" + p.parentGuid() + "}");
            r.put("ParentProcessId", String.valueOf(p.parentPid()));
            r.put("ParentImage", p.parentImage());
            r.put("ParentCommandLine", "\"" + p.parentImage() + "\"");
            r.put("ParentUser", "CONTOSO\\alice");
            return r.toString();
        }
        Connection c = (Connection) activity;
        ObjectNode r = sysmonBase(3, c.host(), c.time());
        r.put("ProcessGuid", "{" + c.guid() + "}");
        r.put("ProcessId", String.valueOf(c.pid()));
        r.put("Image", c.image());
        r.put("User", "CONTOSO\\alice");
        r.put("Protocol", "tcp");
        r.put("Initiated", String.valueOf(c.outbound()));
        // Sysmon's source is the side that opened the connection
        r.put("SourceIp", c.outbound() ? LOCAL_IP : c.remoteIp());
        r.put("SourcePort", c.outbound() ? "50123" : String.valueOf(c.remotePort()));
        r.put("DestinationIp", c.outbound() ? c.remoteIp() : LOCAL_IP);
        r.put("DestinationPort", c.outbound() ? String.valueOf(c.remotePort()) : "7070");
        return r.toString();
    }

    private static ObjectNode sysmonBase(int eventId, String host, Instant time) {
        ObjectNode r = JSON.createObjectNode();
        r.put("SourceName", "Microsoft-Windows-Sysmon");
        r.put("Channel", "Microsoft-Windows-Sysmon/Operational");
        r.put("Hostname", host);
        r.put("EventID", eventId);
        r.put("@timestamp", time.plusMillis(1_900).toString());
        r.put("UtcTime", UTC_TIME.format(time));
        return r;
    }

    /**
     * The alerts of a BATCH replay (parallelism 2) of the records as one JSON Lines file in {@code dir}; fails unless
     * every record decoded to one event.
     */
    public static List<String> replay(Path dir, List<String> records, RuleSet rules) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("telemetry.ndjson");
        Files.write(file, records);
        List<String> alerts = Collections.synchronizedList(new ArrayList<>());
        List<String> deadLetters = new ArrayList<>();
        Replay.Result result = Replays.batch(JobSettings.builder().parallelism(2).build(), rules)
                .run(List.of(file), Lines.into(alerts), Lines.into(deadLetters));
        assertThat(deadLetters).isEmpty();
        assertThat(result.deadLetters()).isZero();
        assertThat(result.events()).isEqualTo(records.size());
        return alerts;
    }

    /**
     * The alerts without their evidence records, which are the only part that differs between the forms, each
     * rewritten (a form's own ids written as the GUIDs they stand for), sorted.
     */
    public static List<String> withoutEvidence(List<String> alerts, Function<String, String> rewrite) {
        List<String> stripped = new ArrayList<>();
        for (String alert : alerts) {
            ObjectNode node = (ObjectNode) AlertCounts.parse(alert);
            node.remove("events");
            stripped.add(rewrite.apply(node.toString()));
        }
        Collections.sort(stripped);
        return stripped;
    }
}
