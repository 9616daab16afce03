package dev.sigmacep.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.AlertCounts;
import dev.sigmacep.testing.WerScenarios;
import dev.sigmacep.testing.WerScenarios.Activity;
import dev.sigmacep.testing.WerScenarios.Connection;
import dev.sigmacep.testing.WerScenarios.ProcessStart;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import static dev.sigmacep.testing.AlertCounts.byRuleAndHost;
import static dev.sigmacep.testing.WerScenarios.LOCAL_IP;
import static dev.sigmacep.testing.WerScenarios.activity;
import static dev.sigmacep.testing.WerScenarios.expected;
import static dev.sigmacep.testing.WerScenarios.guid;
import static dev.sigmacep.testing.WerScenarios.replay;
import static dev.sigmacep.testing.WerScenarios.sysmon;
import static dev.sigmacep.testing.WerScenarios.withoutEvidence;
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

    private static RuleSet rules;

    @BeforeAll
    static void loadRules() throws Exception {
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        assertThat(rules.model().errors()).isEmpty();
    }

    /** The activity as Elastic's Sysmon integration writes it after a shipper dropped {@code winlog.*}. */
    private static String ecs(Activity activity) {
        if (activity instanceof ProcessStart p) {
            ObjectNode r = ecsBase(1, p.host(), p.time(), "process", "start", "process_start");
            ObjectNode process = process(r, "{" + p.guid() + "}", p.pid(), p.image());
            process.put("command_line", p.commandLine()).put("working_directory", "C:\\Users\\alice\\");
            parent(process, "{" + p.parentGuid() + "}", p.parentPid(), p.parentImage());
            return r.toString();
        }
        Connection c = (Connection) activity;
        ObjectNode r = ecsBase(3, c.host(), c.time(), "network", "connection", "start");
        process(r, "{" + c.guid() + "}", c.pid(), c.image());
        endpoints(r, c);
        return r.toString();
    }

    /** The activity as Elastic Defend records: a connection is two, its start and, when it closes, its end. */
    private static List<String> defend(Activity activity) {
        if (activity instanceof ProcessStart p) {
            ObjectNode r = defendBase("process", p.host(), p.time(), "start", "start");
            ObjectNode process = process(r, entityId(p.guid()), p.pid(), p.image());
            process.put("command_line", p.commandLine()).put("working_directory", "C:\\Users\\alice\\");
            process.putObject("Ext").putObject("token").put("integrity_level_name", "medium").put("elevation", false);
            parent(process, entityId(p.parentGuid()), p.parentPid(), p.parentImage());
            return List.of(r.toString());
        }
        Connection c = (Connection) activity;
        ObjectNode start = defendBase("network", c.host(), c.time(),
                c.outbound() ? "connection_attempted" : "connection_accepted", "start");
        process(start, entityId(c.guid()), c.pid(), c.image());
        endpoints(start, c);
        ObjectNode end = defendBase("network", c.host(), c.time().plusMillis(1_375), "disconnect_received", "end");
        process(end, entityId(c.guid()), c.pid(), c.image());
        endpoints(end, c);
        return List.of(start.toString(), end.toString());
    }

    private static void endpoints(ObjectNode r, Connection c) {
        boolean outbound = c.outbound();
        r.putObject("network").put("direction", outbound ? "egress" : "ingress").put("transport", "tcp").put("type", "ipv4");
        r.putObject("source").put("ip", outbound ? LOCAL_IP : c.remoteIp()).put("port", outbound ? 50123 : c.remotePort());
        r.putObject("destination").put("ip", outbound ? c.remoteIp() : LOCAL_IP).put("port", outbound ? c.remotePort() : 7070);
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

    /** Elastic Defend's entity ids written as the GUIDs they stand for. */
    private static String entityIdsAsGuids(String alert) {
        String rewritten = alert;
        for (int n : WerScenarios.GUIDS) {
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
        List<String> sysmon = replay(dir.resolve("sysmon"), each(activity, a -> List.of(sysmon(a))), rules);
        List<String> ecs = replay(dir.resolve("ecs"), each(activity, a -> List.of(ecs(a))), rules);
        List<String> defendRecords = each(activity, ElasticReplayTest::defend);
        assertThat(defendRecords).hasSize(activity.size() + 8); // each of the 8 connections also ends
        List<String> defend = replay(dir.resolve("defend"), defendRecords, rules);

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
