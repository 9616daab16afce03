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
import org.apache.flink.api.common.RuntimeExecutionMode;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.sigmacep.testing.AlertCounts.byRuleAndHost;
import static dev.sigmacep.testing.AlertCounts.expectOnEach;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every counting and value correlation type, and a chain (the specification's "failed logins followed by a
 * successful login"), end to end on a mini cluster over Security and Sysmon records: one host or account per
 * scenario, so each correlation must fire exactly where it should and nowhere else, ordered or shuffled.
 */
class CorrelationTypesReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2024-03-12T10:59:30Z"); // bursts straddle 11:00
    private static final String CHAIN = "b180ead8-d58f-40b2-ae54-c8940995b9b6";

    private static RuleSet rules;

    @BeforeAll
    static void loadRules() throws Exception {
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("src/test/resources/correlation"))),
                MatchContext.empty());
        assertThat(rules.model().errors()).isEmpty();
    }

    private static String security(int eventId, String host, Instant time, String user, String address) {
        ObjectNode record = JSON.createObjectNode();
        record.put("SourceName", "Microsoft-Windows-Security-Auditing");
        record.put("Channel", "Security");
        record.put("Hostname", host);
        record.put("@timestamp", time.toString());
        record.put("EventID", eventId);
        record.put("TargetUserName", user);
        record.put("IpAddress", address);
        return record.toString();
    }

    private static String connection(String host, Instant time, int port) {
        ObjectNode record = JSON.createObjectNode();
        record.put("SourceName", "Microsoft-Windows-Sysmon");
        record.put("Channel", "Microsoft-Windows-Sysmon/Operational");
        record.put("Hostname", host);
        record.put("EventID", 3);
        record.put("@timestamp", time.toString());
        record.put("Image", "C:\\Windows\\System32\\svchost.exe");
        record.put("Initiated", "true");
        record.put("DestinationIp", "203.0.113.7");
        record.put("DestinationPort", port);
        return record.toString();
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static List<String> scenarios() {
        List<String> records = new ArrayList<>();
        // admin: 12 failures 10 s apart, then a success: the event_count fires at the 10th, the chain at the success
        for (int i = 0; i < 12; i++) records.add(security(4625, "DC01", at(i * 10L), "admin", "203.0.113.9"));
        records.add(security(4624, "DC01", at(180), "admin", "203.0.113.9"));
        // carol: too few failures; dave: the success comes 11 minutes after the 10th failure; erin: success first
        for (int i = 0; i < 3; i++) records.add(security(4625, "DC02", at(i), "carol", "10.0.0.3"));
        records.add(security(4624, "DC02", at(5), "carol", "10.0.0.3"));
        for (int i = 0; i < 10; i++) records.add(security(4625, "DC03", at(i), "dave", "10.0.0.4"));
        records.add(security(4624, "DC03", at(9 + 660), "dave", "10.0.0.4"));
        records.add(security(4624, "DC04", at(0), "erin", "10.0.0.5"));
        for (int i = 0; i < 10; i++) records.add(security(4625, "DC04", at(1 + i), "erin", "10.0.0.5"));
        // a password spray: one address, six accounts
        for (int i = 0; i < 6; i++) records.add(security(4625, "DC05", at(i * 5L), "user" + i, "198.51.100.4"));

        // H-SCAN: 12 ports in a minute (value_count fires at the 10th); its 10-minute median is low
        for (int i = 0; i < 12; i++) records.add(connection("H-SCAN", at(i * 5L), 20 + i));
        // H-HIGH: every event alone averages above 40000; the 4th brings the sum and the 90th percentile up
        int[] high = {50000, 50001, 50002, 65000};
        for (int i = 0; i < high.length; i++) records.add(connection("H-HIGH", at(i * 10L), high[i]));
        // H-QUIET: two connections to low ports in ten minutes
        records.add(connection("H-QUIET", at(0), 53));
        records.add(connection("H-QUIET", at(60), 80));
        // H-BURST: 25 connections 2 s apart across 11:00: one event_count alert at the 20th
        for (int i = 0; i < 25; i++) records.add(connection("H-BURST", at(i * 2L), 443));
        return records;
    }

    private static Map<String, Integer> expected() {
        Map<String, Integer> expected = new TreeMap<>();
        expectOnEach(expected, CHAIN, "DC01");
        expectOnEach(expected, "password_spray", "DC05");
        expectOnEach(expected, "many_ports", "H-SCAN");
        expectOnEach(expected, "low_median_port", "H-SCAN", "H-QUIET");
        // fires on each of H-HIGH's 4 events; suppress: 10m lets the first out, then one standing for the other 3
        expectOnEach(expected, "high_average_port", "H-HIGH", "H-HIGH");
        expectOnEach(expected, "port_sum", "H-HIGH");
        expectOnEach(expected, "p90_port", "H-HIGH");
        expectOnEach(expected, "connection_burst", "H-BURST");
        return expected;
    }

    private static List<String> replay(Path dir, List<List<String>> files) throws Exception {
        return replay(dir, files, RuntimeExecutionMode.BATCH);
    }

    private static List<String> replay(Path dir, List<List<String>> files, RuntimeExecutionMode mode)
            throws Exception {
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = dir.resolve("part-" + i + ".ndjson");
            Files.write(file, files.get(i));
            paths.add(file);
        }
        List<String> alerts = Collections.synchronizedList(new ArrayList<>());
        List<String> deadLetters = new ArrayList<>();
        Replay.Result result = Replays.inMode(JobSettings.builder().parallelism(2).build(), rules, mode)
                .run(paths, Lines.into(alerts), Lines.into(deadLetters));
        assertThat(deadLetters).isEmpty();
        assertThat(result.alerts()).isEqualTo(alerts.size());
        return alerts;
    }

    private static JsonNode only(List<String> alerts, String rule, String host) {
        return alerts.stream().map(AlertCounts::parse)
                .filter(a -> (rule.equals(a.get("rule_name").asText()) || rule.equals(a.get("rule_id").asText()))
                        && host.equals(a.get("host").asText()))
                .reduce((a, b) -> {
                    throw new AssertionError("more than one " + rule + " alert on " + host);
                }).orElseThrow();
    }

    @Test
    void eachTypeFiresExactlyWhereItShould(@TempDir Path dir) throws Exception {
        List<String> records = scenarios();
        List<String> alerts = replay(dir, List.of(records));
        assertThat(byRuleAndHost(alerts)).isEqualTo(expected());

        JsonNode chain = only(alerts, CHAIN, "DC01");
        assertThat(chain.get("rule_title").asText())
                .isEqualTo("Correlation - Multiple Failed Logins Followed by Successful Login");
        assertThat(chain.get("correlation_type").asText()).isEqualTo("temporal_ordered");
        assertThat(chain.get("tags").toString()).isEqualTo("[\"attack.credential-access\",\"attack.t1110\"]");
        assertThat(chain.get("group_by").toString()).isEqualTo("{\"TargetUserName\":\"admin\"}");
        assertThat(chain.get("first_event_time").asText()).isEqualTo("2024-03-12T11:01:00.000Z"); // the 10th failure
        assertThat(chain.get("last_event_time").asText()).isEqualTo("2024-03-12T11:02:30.000Z");
        List<String> evidence = new ArrayList<>();
        chain.get("events").forEach(e -> evidence.add(e.toString()));
        assertThat(evidence).containsExactly(records.get(9), records.get(12));

        JsonNode spray = only(alerts, "password_spray", "DC05");
        assertThat(spray.get("correlation_type").asText()).isEqualTo("value_count");
        assertThat(spray.get("correlation_value").asInt()).isEqualTo(5);
        assertThat(spray.get("group_by").toString()).isEqualTo("{\"IpAddress\":\"198.51.100.4\"}");
        assertThat(spray.get("first_event_time").asText()).isEqualTo("2024-03-12T10:59:30.000Z");
        assertThat(spray.get("last_event_time").asText()).isEqualTo("2024-03-12T10:59:50.000Z");

        JsonNode burst = only(alerts, "connection_burst", "H-BURST");
        assertThat(burst.get("correlation_value").asInt()).isEqualTo(20);
        assertThat(burst.get("first_event_time").asText()).isEqualTo("2024-03-12T10:59:30.000Z");
        assertThat(burst.get("last_event_time").asText()).isEqualTo("2024-03-12T11:00:08.000Z");
        assertThat(burst.get("events")).hasSize(1);

        List<JsonNode> average = alerts.stream().map(AlertCounts::parse)
                .filter(a -> "high_average_port".equals(a.get("rule_name").asText()))
                .sorted(java.util.Comparator.comparing(a -> a.get("last_event_time").asText())).toList();
        assertThat(average.get(0).has("suppressed_count")).isFalse();
        assertThat(average.get(1).get("suppressed_count").asInt()).isEqualTo(3);
        assertThat(average.get(1).get("suppressed_first_time").asText()).isEqualTo("2024-03-12T10:59:40.000Z");
        assertThat(average.get(1).get("suppressed_last_time").asText()).isEqualTo("2024-03-12T11:00:00.000Z");
        assertThat(average.get(1).get("correlation_value").asInt()).isEqualTo(65000);

        assertThat(only(alerts, "low_median_port", "H-QUIET").get("correlation_value").asDouble()).isEqualTo(66.5);
        assertThat(only(alerts, "low_median_port", "H-SCAN").get("correlation_value").asDouble()).isEqualTo(25.5);
        assertThat(only(alerts, "port_sum", "H-HIGH").get("correlation_value").asInt()).isEqualTo(215003);
        assertThat(only(alerts, "p90_port", "H-HIGH").get("correlation_value").asDouble())
                .isCloseTo(60500.6, org.assertj.core.data.Offset.offset(1e-6)); // 50002 + 0.7 × (65000 − 50002)
        assertThat(only(alerts, "many_ports", "H-SCAN").get("last_event_time").asText())
                .isEqualTo("2024-03-12T11:00:15.000Z");
    }

    @Test
    void shuffledInputAndStreamingGiveTheSameAlerts(@TempDir Path dir) throws Exception {
        List<String> records = new ArrayList<>(scenarios());
        Collections.shuffle(records, new Random(5));
        int half = records.size() / 2;
        List<String> shuffled = replay(dir, List.of(records.subList(0, half), records.subList(half, records.size())));
        List<String> ordered = replay(Files.createDirectory(dir.resolve("ordered")), List.of(scenarios()));
        // streaming: event time from watermarks (so the file in time order: the scenarios are listed host by host),
        // timers as time passes, every open span closed at the end
        List<String> inTimeOrder = new ArrayList<>(scenarios());
        inTimeOrder.sort(java.util.Comparator.comparing(record -> Instant.parse(AlertCounts.parse(record)
                .get("@timestamp").asText())));
        List<String> streamed = replay(Files.createDirectory(dir.resolve("streaming")), List.of(inTimeOrder),
                RuntimeExecutionMode.STREAMING);
        Collections.sort(shuffled);
        Collections.sort(ordered);
        Collections.sort(streamed);
        assertThat(shuffled).isEqualTo(ordered);
        assertThat(streamed).isEqualTo(ordered);
    }
}
