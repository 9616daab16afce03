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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static dev.sigmacep.testing.AlertCounts.byRuleAndHost;
import static dev.sigmacep.testing.AlertCounts.expectOnEach;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same activity as flat Sysmon records, as ECS records without {@code winlog.*} (Elastic's Sysmon integration
 * after a shipper dropped winlog: event.code and event.provider only) and as Elastic Defend records
 * (endpoint.events.process / endpoint.events.network, no event code, connection starts and ends) gives the same
 * alerts: same rules, hosts, group-by values and times, the flagship chain included. Elastic Defend's
 * process.entity_id is its own id, not Sysmon's GUID: its alerts are compared with each entity id written as the
 * GUID of the same process.
 */
class ElasticReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
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

    /** One piece of activity, written in each form: a Defend connection is two records, its start and its end. */
    private interface Activity {
        String sysmon();

        String ecs();

        List<String> defend();
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
            return r.toString();
        }

        @Override
        public String ecs() {
            ObjectNode r = ecsBase(1, host, time, "process", "start", "process_start");
            ObjectNode p = process(r, "{" + guid + "}", pid, image);
            p.put("command_line", commandLine).put("working_directory", "C:\\Users\\alice\\");
            parent(p, "{" + parentGuid + "}", parentPid, parentImage);
            return r.toString();
        }

        @Override
        public List<String> defend() {
            ObjectNode r = defendBase("process", host, time, "start", "start");
            ObjectNode p = process(r, entityId(guid), pid, image);
            p.put("command_line", commandLine).put("working_directory", "C:\\Users\\alice\\");
            p.putObject("Ext").putObject("token").put("integrity_level_name", "medium").put("elevation", false);
            parent(p, entityId(parentGuid), parentPid, parentImage);
            return List.of(r.toString());
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
        public String ecs() {
            ObjectNode r = ecsBase(3, host, time, "network", "connection", "start");
            process(r, "{" + guid + "}", pid, image);
            endpoints(r, outbound ? "egress" : "ingress");
            return r.toString();
        }

        /** Defend reports the connection's start and, when it closes, its end. */
        @Override
        public List<String> defend() {
            ObjectNode start = defendBase("network", host, time, outbound ? "connection_attempted" : "connection_accepted",
                    "start");
            process(start, entityId(guid), pid, image);
            endpoints(start, outbound ? "egress" : "ingress");
            ObjectNode end = defendBase("network", host, time.plusMillis(1_375), "disconnect_received", "end");
            process(end, entityId(guid), pid, image);
            endpoints(end, outbound ? "egress" : "ingress");
            return List.of(start.toString(), end.toString());
        }

        private void endpoints(ObjectNode r, String direction) {
            r.putObject("network").put("direction", direction).put("transport", "tcp").put("type", "ipv4");
            r.putObject("source").put("ip", outbound ? LOCAL_IP : remoteIp).put("port", outbound ? 50123 : remotePort);
            r.putObject("destination").put("ip", outbound ? remoteIp : LOCAL_IP).put("port", outbound ? remotePort : 7070);
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

    /** Elastic's Sysmon integration without winlog.*: the event's time is @timestamp, the code a string. */
    private static ObjectNode ecsBase(int code, String host, Instant time, String category, String... types) {
        ObjectNode r = JSON.createObjectNode();
        r.put("@timestamp", time.toString());
        ObjectNode event = r.putObject("event");
        event.put("code", String.valueOf(code)).put("provider", "Microsoft-Windows-Sysmon").put("kind", "event")
                .put("module", "sysmon").put("created", time.plusMillis(1_900).toString());
        event.putArray("category").add(category);
        for (String type : types) event.withArray("type").add(type);
        host(r, host);
        r.putObject("user").put("domain", "CONTOSO").put("name", "alice");
        return r;
    }

    private static ObjectNode defendBase(String kind, String host, Instant time, String action, String type) {
        ObjectNode r = JSON.createObjectNode();
        r.put("@timestamp", time.toString());
        r.putObject("agent").put("type", "endpoint").put("version", "8.12.2");
        r.putObject("data_stream").put("dataset", "endpoint.events." + kind).put("namespace", "default").put("type", "logs");
        ObjectNode event = r.putObject("event");
        event.put("action", action).put("kind", "event").put("module", "endpoint")
                .put("dataset", "endpoint.events." + kind).put("created", time.toString());
        event.putArray("category").add(kind);
        event.putArray("type").add(type);
        host(r, host);
        r.put("message", "Endpoint " + kind + " event");
        r.putObject("user").put("domain", "CONTOSO").put("name", "alice");
        return r;
    }

    private static void host(ObjectNode r, String host) {
        int dot = host.indexOf('.');
        r.putObject("host").put("name", host).put("hostname", dot < 0 ? host : host.substring(0, dot))
                .putObject("os").put("family", "windows").put("type", "windows");
    }

    private static ObjectNode process(ObjectNode r, String id, int pid, String image) {
        ObjectNode p = r.putObject("process");
        p.put("entity_id", id).put("pid", pid).put("executable", image)
                .put("name", image.substring(image.lastIndexOf('\\') + 1));
        return p;
    }

    private static void parent(ObjectNode process, String id, int pid, String image) {
        process.putObject("parent").put("entity_id", id).put("pid", pid).put("executable", image)
                .put("command_line", "\"" + image + "\"");
    }

    /** Elastic Defend's entity id: base64 of agent, pid and start time; here of the GUID it stands for. */
    private static String entityId(String guid) {
        return Base64.getEncoder().encodeToString(("8d7f3c2a-" + guid).getBytes(StandardCharsets.UTF_8));
    }

    private static Instant at(Duration offset) {
        return T0.plus(offset);
    }

    private static String guid(int n) {
        return String.format("3e91c0d7-0c%02x-65f0-02d1-0000%08x", n, n * 7919);
    }

    /** The scenarios of AsimReplayTest, one host each, so every rule must fire exactly where it should. */
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
        // an inbound connection to the WER process: not initiated by it (Defend: connection_accepted, ingress)
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
        assertThat(result.events()).isEqualTo(records.size());
        return alerts;
    }

    /** An alert without its evidence records, which are the only part that differs between the forms. */
    private static List<String> withoutEvidence(List<String> alerts, Function<String, String> rewrite) {
        List<String> stripped = new ArrayList<>();
        for (String alert : alerts) {
            ObjectNode node = (ObjectNode) AlertCounts.parse(alert);
            node.remove("events");
            stripped.add(rewrite.apply(node.toString()));
        }
        Collections.sort(stripped);
        return stripped;
    }

    /** Elastic Defend's entity ids written as the GUIDs they stand for. */
    private static String entityIdsAsGuids(String alert) {
        String rewritten = alert;
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 101, 102, 103, 104, 105, 106, 108, 201, 202, 203, 204, 205, 208}) {
            rewritten = rewritten.replace(entityId(guid(n)), "{" + guid(n) + "}");
        }
        return rewritten;
    }

    private static List<String> each(List<Activity> activity, Function<Activity, List<String>> form) {
        return activity.stream().flatMap(a -> form.apply(a).stream()).toList();
    }

    @Test
    void ecsWithoutWinlogAndElasticDefendGiveTheAlertsOfTheSameActivityInSysmonForm(@TempDir Path dir)
            throws Exception {
        List<Activity> activity = activity();
        List<String> sysmon = replay(dir.resolve("sysmon"), each(activity, a -> List.of(a.sysmon())));
        List<String> ecs = replay(dir.resolve("ecs"), each(activity, a -> List.of(a.ecs())));
        List<String> defendRecords = each(activity, Activity::defend);
        assertThat(defendRecords).hasSize(activity.size() + 8); // each of the 8 connections also ends
        List<String> defend = replay(dir.resolve("defend"), defendRecords);

        assertThat(byRuleAndHost(sysmon)).isEqualTo(expected());
        assertThat(sysmon).hasSize(24);
        assertThat(withoutEvidence(ecs, Function.identity())).isEqualTo(withoutEvidence(sysmon, Function.identity()));
        assertThat(withoutEvidence(defend, ElasticReplayTest::entityIdsAsGuids))
                .isEqualTo(withoutEvidence(sysmon, Function.identity()));

        JsonNode chain = defend.stream().map(AlertCounts::parse)
                .filter(a -> "wer_masquerade_chain".equals(a.get("rule_name").asText())
                        && "WKS-CHAIN.contoso.local".equals(a.get("host").asText()))
                .findFirst().orElseThrow();
        assertThat(chain.get("group_by").toString()).isEqualTo(
                "{\"Computer\":\"WKS-CHAIN.contoso.local\",\"wer_process\":\"" + entityId(guid(1)) + "\"}");
        List<String> evidence = new ArrayList<>();
        chain.get("events").forEach(e -> evidence.add(e.toString()));
        assertThat(evidence).containsExactly(defendRecords.get(0), defendRecords.get(1), defendRecords.get(3));
    }
}
