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

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
    private static final DateTimeFormatter SENTINEL_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'0000Z'").withZone(ZoneOffset.UTC);

    private static RuleSet rules;

    @BeforeAll
    static void loadRules() throws Exception {
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        assertThat(rules.model().errors()).isEmpty();
    }

    /** The activity as a Sentinel ASIM row (ProcessEvent or NetworkSession), as exported from Sentinel. */
    private static String asim(Activity activity) {
        if (activity instanceof ProcessStart p) {
            ObjectNode r = asimBase("ProcessEvent", "0.1.4", "ProcessCreated", "1", p.host(), p.time());
            r.put("ActorUsername", "CONTOSO\\alice").put("ActorUsernameType", "Windows");
            r.put("ActingProcessName", p.parentImage()).put("ActingProcessCommandLine", "\"" + p.parentImage() + "\"")
                    .put("ActingProcessGuid", p.parentGuid()).put("ActingProcessId", String.valueOf(p.parentPid()));
            r.put("ParentProcessName", "").put("ParentProcessGuid", "").put("ParentProcessId", "");
            r.put("TargetUsername", "CONTOSO\\alice").put("TargetUsernameType", "Windows");
            r.put("TargetProcessName", p.image()).put("TargetProcessCommandLine", p.commandLine())
                    .put("TargetProcessCurrentDirectory", "C:\\Users\\alice\\").put("TargetProcessGuid", p.guid())
                    .put("TargetProcessId", String.valueOf(p.pid())).put("TargetProcessIntegrityLevel", "Medium")
                    .put("TargetProcessSHA256", "");
            r.put("Type", "ASimProcessEventLogs");
            return r.toString();
        }
        Connection c = (Connection) activity;
        boolean outbound = c.outbound();
        ObjectNode r = asimBase("NetworkSession", "0.2.6", "EndpointNetworkSession", "3", c.host(), c.time());
        r.put("NetworkDirection", outbound ? "Outbound" : "Inbound");
        r.put("NetworkProtocol", "TCP").put("NetworkProtocolVersion", "IPV4");
        r.put("SrcIpAddr", outbound ? LOCAL_IP : c.remoteIp());
        r.put("SrcPortNumber", outbound ? 50123 : c.remotePort());
        r.put("DstIpAddr", outbound ? c.remoteIp() : LOCAL_IP);
        r.put("DstPortNumber", outbound ? c.remotePort() : 7070);
        String local = outbound ? "Src" : "Dst";
        String remote = outbound ? "Dst" : "Src";
        r.put(local + "ProcessName", c.image()).put(local + "ProcessGuid", c.guid())
                .put(local + "ProcessId", String.valueOf(c.pid()))
                .put(local + "Username", "CONTOSO\\alice").put(local + "AppType", "Process");
        r.put(remote + "ProcessName", "").put(remote + "ProcessGuid", "").put(remote + "ProcessId", "")
                .put(remote + "Username", "").put(remote + "Hostname", "");
        r.put("Type", "ASimNetworkSessionLogs");
        return r.toString();
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

    private static List<String> each(List<Activity> activity, Function<Activity, String> form) {
        return activity.stream().map(form).toList();
    }

    @Test
    void asimRowsGiveTheAlertsOfTheSameActivityInSysmonForm(@TempDir Path dir) throws Exception {
        List<Activity> activity = activity();
        List<String> sysmon = replay(dir.resolve("sysmon"), each(activity, WerScenarios::sysmon), rules);
        List<String> asim = replay(dir.resolve("asim"), each(activity, AsimReplayTest::asim), rules);

        assertThat(byRuleAndHost(sysmon)).isEqualTo(expected());
        assertThat(withoutEvidence(asim, Function.identity())).isEqualTo(withoutEvidence(sysmon, Function.identity()));

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
        assertThat(evidence).containsExactly(asim(activity.get(0)), asim(activity.get(1)), asim(activity.get(2)));
    }

    /** A host whose telemetry arrives partly as ASIM rows and partly as Sysmon records is still one host. */
    @Test
    void mixedFormsOfOneHostCorrelate(@TempDir Path dir) throws Exception {
        List<Activity> activity = activity();
        List<String> mixed = new ArrayList<>();
        for (int i = 0; i < activity.size(); i++) {
            mixed.add(i % 2 == 0 ? asim(activity.get(i)) : sysmon(activity.get(i)));
        }
        List<String> alerts = replay(dir.resolve("mixed"), mixed, rules);
        assertThat(byRuleAndHost(alerts)).isEqualTo(expected());
        List<String> sysmon = replay(dir.resolve("sysmon"), each(activity, WerScenarios::sysmon), rules);
        assertThat(withoutEvidence(alerts, Function.identity())).isEqualTo(withoutEvidence(sysmon, Function.identity()));
    }
}
