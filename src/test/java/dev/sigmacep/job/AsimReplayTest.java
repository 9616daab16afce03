package dev.sigmacep.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.AlertCounts;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.Replays;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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

import static dev.sigmacep.testing.AlertCounts.byRuleAndHost;
import static dev.sigmacep.testing.AlertCounts.expectOnEach;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same activity as flat Sysmon records and as Microsoft Sentinel ASIM rows (process events and network sessions,
 * as the schema describes them: GUIDs without braces, upper-case protocol, the initiator on the Src side, empty
 * strings for columns without a value) gives the same alerts: same rules, hosts, group-by values and times, the
 * flagship chain included. Only the evidence records differ.
 */
class AsimReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SENTINEL_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'0000Z'").withZone(ZoneOffset.UTC);
    private static final Instant T0 = Instant.parse("2024-03-12T10:00:00.125Z");
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";
    private static final String WERFAULT = "C:\\Windows\\System32\\WerFault.exe";
    private static final String CMD = "C:\\Windows\\System32\\cmd.exe";
    private static final String LOADER = "C:\\Users\\alice\\AppData\\Local\\Temp\\loader.exe";
    private static final String LOCAL_IP = "10.0.4.21";
    private static final String SEED_RULE = "396f6630-f3ac-44e3-bfc8-1b161bc00c4e";

    private static RuleSet rules;

    @BeforeAll
    static void loadRules() throws Exception {
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        assertThat(rules.model().errors()).isEmpty();
    }

    /** One piece of activity, written in either form. */
    private interface Activity {
        String sysmon();

        String asim();
    }

    private record ProcessStart(String host, Instant time, String guid, int pid, String image, String commandLine,
                                String parentGuid, int parentPid, String parentImage) implements Activity {
        @Override
        public String sysmon() {
            ObjectNode r = sysmonBase(1, host, time);
            r.put("ProcessGuid", "{" + guid + "}");
            r.put("ProcessId", String.valueOf(pid));
            r.put("Image", image);
            r.put("CommandLine", commandLine);
            r.put("CurrentDirectory", "C:\\Users\\alice\\");
            r.put("User", "CONTOSO\\alice");
            r.put("IntegrityLevel", "Medium");
            r.put("ParentProcessGuid", "{" + parentGuid + "}");
            r.put("ParentProcessId", String.valueOf(parentPid));
            r.put("ParentImage", parentImage);
            r.put("ParentCommandLine", "\"" + parentImage + "\"");
            r.put("ParentUser", "CONTOSO\\alice");
            return r.toString();
        }

        @Override
        public String asim() {
            ObjectNode r = asimBase("ProcessEvent", "0.1.4", "ProcessCreated", "1", host, time);
            r.put("ActorUsername", "CONTOSO\\alice").put("ActorUsernameType", "Windows");
            r.put("ActingProcessName", parentImage).put("ActingProcessCommandLine", "\"" + parentImage + "\"")
                    .put("ActingProcessGuid", parentGuid).put("ActingProcessId", String.valueOf(parentPid));
            r.put("ParentProcessName", "").put("ParentProcessGuid", "").put("ParentProcessId", "");
            r.put("TargetUsername", "CONTOSO\\alice").put("TargetUsernameType", "Windows");
            r.put("TargetProcessName", image).put("TargetProcessCommandLine", commandLine)
                    .put("TargetProcessCurrentDirectory", "C:\\Users\\alice\\").put("TargetProcessGuid", guid)
                    .put("TargetProcessId", String.valueOf(pid)).put("TargetProcessIntegrityLevel", "Medium")
                    .put("TargetProcessSHA256", "");
            r.put("Type", "ASimProcessEventLogs");
            return r.toString();
        }
    }

    private record Connection(String host, Instant time, String guid, int pid, String image, boolean outbound,
                              String remoteIp, int remotePort) implements Activity {
        @Override
        public String sysmon() {
            ObjectNode r = sysmonBase(3, host, time);
            r.put("ProcessGuid", "{" + guid + "}");
            r.put("ProcessId", String.valueOf(pid));
            r.put("Image", image);
            r.put("User", "CONTOSO\\alice");
            r.put("Protocol", "tcp");
            r.put("Initiated", String.valueOf(outbound));
            // Sysmon's source is the side that opened the connection
            r.put("SourceIp", outbound ? LOCAL_IP : remoteIp);
            r.put("SourcePort", outbound ? "50123" : String.valueOf(remotePort));
            r.put("DestinationIp", outbound ? remoteIp : LOCAL_IP);
            r.put("DestinationPort", outbound ? String.valueOf(remotePort) : "7070");
            return r.toString();
        }

        @Override
        public String asim() {
            ObjectNode r = asimBase("NetworkSession", "0.2.6", "EndpointNetworkSession", "3", host, time);
            r.put("NetworkDirection", outbound ? "Outbound" : "Inbound");
            r.put("NetworkProtocol", "TCP").put("NetworkProtocolVersion", "IPV4");
            r.put("SrcIpAddr", outbound ? LOCAL_IP : remoteIp);
            r.put("SrcPortNumber", outbound ? 50123 : remotePort);
            r.put("DstIpAddr", outbound ? remoteIp : LOCAL_IP);
            r.put("DstPortNumber", outbound ? remotePort : 7070);
            String local = outbound ? "Src" : "Dst";
            String remote = outbound ? "Dst" : "Src";
            r.put(local + "ProcessName", image).put(local + "ProcessGuid", guid).put(local + "ProcessId", String.valueOf(pid))
                    .put(local + "Username", "CONTOSO\\alice").put(local + "AppType", "Process");
            r.put(remote + "ProcessName", "").put(remote + "ProcessGuid", "").put(remote + "ProcessId", "")
                    .put(remote + "Username", "").put(remote + "Hostname", "");
            r.put("Type", "ASimNetworkSessionLogs");
            return r.toString();
        }
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

    /** As exported from Sentinel: Dvc* from the FQDN, TimeGenerated a little after the event. */
    private static ObjectNode asimBase(String schema, String version, String type, String originalType, String host,
                                       Instant time) {
        ObjectNode r = JSON.createObjectNode();
        r.put("TenantId", "redacted");
        r.put("TimeGenerated", SENTINEL_TIME.format(time.plusMillis(2_143)));
        r.put("EventCount", 1);
        r.put("EventStartTime", SENTINEL_TIME.format(time));
        r.put("EventEndTime", SENTINEL_TIME.format(time));
        r.put("EventType", type);
        r.put("EventResult", "Success");
        r.put("EventOriginalType", originalType);
        r.put("EventProduct", "Sysmon");
        r.put("EventVendor", "Microsoft");
        r.put("EventSchema", schema);
        r.put("EventSchemaVersion", version);
        r.put("EventMessage", "");
        int dot = host.indexOf('.');
        r.put("Dvc", host);
        r.put("DvcHostname", dot < 0 ? host : host.substring(0, dot));
        r.put("DvcDomain", dot < 0 ? "" : host.substring(dot + 1));
        r.put("DvcFQDN", dot < 0 ? "" : host);
        r.put("DvcOs", "Windows");
        r.putObject("AdditionalFields");
        return r;
    }

    private static Instant at(Duration offset) {
        return T0.plus(offset);
    }

    private static String guid(int n) {
        return String.format("3e91c0d7-0c%02x-65f0-02d1-0000%08x", n, n * 7919);
    }

    /** One host per scenario, so every rule must fire exactly where it should. */
    private static List<Activity> activity() {
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
        // an inbound session to the WER process: not initiated by it
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

    private static Map<String, Integer> expected() {
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

    private static List<String> replay(Path dir, List<String> records) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("telemetry.ndjson");
        Files.write(file, records);
        List<String> alerts = Collections.synchronizedList(new ArrayList<>());
        List<String> deadLetters = new ArrayList<>();
        Replay.Result result = Replays.batch(JobSettings.builder().parallelism(2).build(), rules)
                .run(List.of(file), Lines.into(alerts), Lines.into(deadLetters));
        assertThat(deadLetters).isEmpty();
        assertThat(result.deadLetters()).isZero();
        return alerts;
    }

    /** An alert without its evidence records, which are the only part that differs between the forms. */
    private static List<String> withoutEvidence(List<String> alerts) {
        List<String> stripped = new ArrayList<>();
        for (String alert : alerts) {
            ObjectNode node = (ObjectNode) AlertCounts.parse(alert);
            node.remove("events");
            stripped.add(node.toString());
        }
        Collections.sort(stripped);
        return stripped;
    }

    private static List<String> each(List<Activity> activity, Function<Activity, String> form) {
        return activity.stream().map(form).toList();
    }

    @Test
    void asimRowsGiveTheAlertsOfTheSameActivityInSysmonForm(@TempDir Path dir) throws Exception {
        List<Activity> activity = activity();
        List<String> sysmon = replay(dir.resolve("sysmon"), each(activity, Activity::sysmon));
        List<String> asim = replay(dir.resolve("asim"), each(activity, Activity::asim));

        assertThat(byRuleAndHost(sysmon)).isEqualTo(expected());
        assertThat(withoutEvidence(asim)).isEqualTo(withoutEvidence(sysmon));

        JsonNode chain = asim.stream().map(AlertCounts::parse)
                .filter(a -> "wer_masquerade_chain".equals(a.get("rule_name").asText())
                        && "WKS-CHAIN.contoso.local".equals(a.get("host").asText()))
                .findFirst().orElseThrow();
        assertThat(chain.get("group_by").toString()).isEqualTo(
                "{\"Computer\":\"WKS-CHAIN.contoso.local\",\"wer_process\":\"{" + guid(1) + "}\"}");
        assertThat(chain.get("first_event_time").asText()).isEqualTo("2024-03-12T10:00:00.125Z");
        assertThat(chain.get("last_event_time").asText()).isEqualTo("2024-03-12T10:05:00.125Z");
        List<String> evidence = new ArrayList<>();
        chain.get("events").forEach(e -> evidence.add(e.toString()));
        assertThat(evidence).containsExactly(activity.get(0).asim(), activity.get(1).asim(), activity.get(2).asim());
    }

    /** A host whose telemetry arrives partly as ASIM rows and partly as Sysmon records is still one host. */
    @Test
    void mixedFormsOfOneHostCorrelate(@TempDir Path dir) throws Exception {
        List<Activity> activity = activity();
        List<String> mixed = new ArrayList<>();
        for (int i = 0; i < activity.size(); i++) {
            mixed.add(i % 2 == 0 ? activity.get(i).asim() : activity.get(i).sysmon());
        }
        List<String> alerts = replay(dir.resolve("mixed"), mixed);
        assertThat(byRuleAndHost(alerts)).isEqualTo(expected());
        List<String> sysmon = replay(dir.resolve("sysmon"), each(activity, Activity::sysmon));
        assertThat(withoutEvidence(alerts)).isEqualTo(withoutEvidence(sysmon));
    }
}
