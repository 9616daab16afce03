package dev.sigmacep.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.sigmacep.testing.AlertCounts.byRuleAndHost;
import static dev.sigmacep.testing.AlertCounts.expectOnEach;
import static dev.sigmacep.testing.FlatSysmon.T0;
import static dev.sigmacep.testing.FlatSysmon.connection;
import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flagship rules end to end on a mini cluster: one host per scenario, so each rule must fire exactly on the
 * hosts where it should and nowhere else.
 */
class WerChainReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";
    private static final String WERFAULT = "C:\\Windows\\System32\\WerFault.exe";
    private static final String CMD = "C:\\Windows\\System32\\cmd.exe";
    private static final String LOADER = "C:\\Users\\alice\\AppData\\Local\\Temp\\loader.exe";
    private static final String SEED_RULE = "396f6630-f3ac-44e3-bfc8-1b161bc00c4e";

    private static RuleSet rules;

    @BeforeAll
    static void loadRules() throws Exception {
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        assertThat(rules.model().errors()).isEmpty();
    }

    private static Instant at(Duration offset) {
        return T0.plus(offset);
    }

    /** Every scenario, one host each. */
    private static List<String> scenarios() {
        List<String> records = new ArrayList<>();
        // the full chain: quoted path without arguments, outbound connection, shell child
        records.add(processStart("H-CHAIN", T0, "{g-chain}", WERMGR, "\"" + WERMGR + "\"", "{p1}", LOADER));
        records.add(connection("H-CHAIN", at(Duration.ofSeconds(20)), "{g-chain}", WERMGR, "203.0.113.50"));
        records.add(processStart("H-CHAIN", at(Duration.ofMinutes(5)), "{c-chain}", CMD, "cmd.exe /c whoami", "{g-chain}", WERMGR));
        // arguments present: no masquerading start, so no correlation
        records.add(processStart("H-ARGS", T0, "{g-args}", WERMGR, WERMGR + " -upload", "{p2}", "C:\\Windows\\System32\\svchost.exe"));
        records.add(connection("H-ARGS", at(Duration.ofSeconds(10)), "{g-args}", WERMGR, "20.42.73.29"));
        records.add(processStart("H-ARGS", at(Duration.ofMinutes(1)), "{c-args}", CMD, "cmd.exe", "{g-args}", WERMGR));
        // loopback destination only
        records.add(processStart("H-LOOP", T0, "{g-loop}", WERMGR, WERMGR, "{p3}", LOADER));
        records.add(connection("H-LOOP", at(Duration.ofSeconds(10)), "{g-loop}", WERMGR, "127.0.0.1"));
        records.add(processStart("H-LOOP", at(Duration.ofMinutes(1)), "{c-loop}", CMD, "cmd.exe", "{g-loop}", WERMGR));
        // the connection comes from a different process
        records.add(processStart("H-OTHER", T0, "{g-other}", WERMGR, WERMGR, "{p4}", LOADER));
        records.add(connection("H-OTHER", at(Duration.ofSeconds(10)), "{g-other-2}", WERMGR, "203.0.113.51"));
        // same ProcessGuid on two hosts
        records.add(processStart("H-GUID-A", T0, "{g-shared}", WERMGR, WERMGR, "{p5}", LOADER));
        records.add(connection("H-GUID-B", at(Duration.ofSeconds(10)), "{g-shared}", WERMGR, "203.0.113.52"));
        // connection after 61 s (outside 1m), child after 31 min (outside 30m)
        records.add(processStart("H-SLOW", T0, "{g-slow}", WERFAULT, WERFAULT, "{p6}", LOADER));
        records.add(connection("H-SLOW", at(Duration.ofSeconds(61)), "{g-slow}", WERFAULT, "203.0.113.53"));
        records.add(processStart("H-SLOW", at(Duration.ofMinutes(31)), "{c-slow}", CMD, "cmd.exe", "{g-slow}", WERFAULT));
        // connection after 59 s: inside the minute
        records.add(processStart("H-EDGE", T0, "{g-edge}", WERFAULT, WERFAULT, "{p7}", LOADER));
        records.add(connection("H-EDGE", at(Duration.ofSeconds(59)), "{g-edge}", WERFAULT, "203.0.113.54"));
        // the legitimate rundll32 WerConCpl child is filtered
        records.add(processStart("H-FILTER", T0, "{g-filter}", WERMGR, WERMGR, "{p8}", LOADER));
        records.add(connection("H-FILTER", at(Duration.ofSeconds(10)), "{g-filter}", WERMGR, "203.0.113.55"));
        records.add(processStart("H-FILTER", at(Duration.ofMinutes(1)), "{c-filter}", "C:\\Windows\\System32\\rundll32.exe",
                "C:\\Windows\\system32\\rundll32.exe C:\\Windows\\system32\\WerConCpl.dll LaunchErcApp -queuereporting",
                "{g-filter}", WERMGR));
        // upper-case paths, WerFault: the chain fires; the SigmaHQ rule (wermgr parents only) does not
        String upperWerFault = "C:\\WINDOWS\\SYSTEM32\\WERFAULT.EXE";
        records.add(processStart("H-UPPER", T0, "{g-upper}", upperWerFault, upperWerFault + "   ", "{p9}", LOADER));
        records.add(connection("H-UPPER", at(Duration.ofSeconds(5)), "{g-upper}", upperWerFault, "198.51.100.7"));
        records.add(processStart("H-UPPER", at(Duration.ofMinutes(2)), "{c-upper}", "C:\\WINDOWS\\SYSTEM32\\WHOAMI.EXE",
                "whoami /all", "{g-upper}", upperWerFault));
        // connection before the start: wrong order
        records.add(connection("H-ORDER", T0, "{g-order}", WERMGR, "203.0.113.56"));
        records.add(processStart("H-ORDER", at(Duration.ofSeconds(10)), "{g-order}", WERMGR, WERMGR, "{p10}", LOADER));
        return records;
    }

    private static Map<String, Integer> expected() {
        Map<String, Integer> expected = new TreeMap<>();
        expectOnEach(expected, "wer_noargs_start",
                "H-CHAIN", "H-LOOP", "H-OTHER", "H-GUID-A", "H-SLOW", "H-EDGE", "H-FILTER", "H-UPPER", "H-ORDER");
        expectOnEach(expected, "wer_outbound_connection",
                "H-CHAIN", "H-ARGS", "H-OTHER", "H-GUID-B", "H-SLOW", "H-EDGE", "H-FILTER", "H-UPPER", "H-ORDER");
        expectOnEach(expected, "wer_child_shell", "H-CHAIN", "H-ARGS", "H-LOOP", "H-SLOW", "H-UPPER");
        expectOnEach(expected, SEED_RULE, "H-CHAIN", "H-ARGS", "H-LOOP");
        expectOnEach(expected, "wer_masquerade_netconn", "H-CHAIN", "H-EDGE", "H-FILTER", "H-UPPER");
        expectOnEach(expected, "wer_masquerade_chain", "H-CHAIN", "H-UPPER");
        return expected;
    }

    private static List<String> replay(Path dir, List<List<String>> files) throws Exception {
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = dir.resolve("part-" + i + ".ndjson");
            Files.write(file, files.get(i));
            paths.add(file);
        }
        List<String> alerts = Collections.synchronizedList(new ArrayList<>());
        List<String> deadLetters = new ArrayList<>();
        JobSettings settings = JobSettings.builder().parallelism(2).build();
        Replay.Result result = Replays.batch(settings, rules).run(paths, Lines.into(alerts), Lines.into(deadLetters));
        assertThat(deadLetters).isEmpty();
        assertThat(result.deadLetters()).isZero();
        assertThat(result.alerts()).isEqualTo(alerts.size());
        return alerts;
    }

    @Test
    void eachFlagshipRuleFiresExactlyWhereItShould(@TempDir Path dir) throws Exception {
        List<String> alerts = replay(dir, List.of(scenarios()));
        assertThat(byRuleAndHost(alerts)).isEqualTo(expected());

        JsonNode chain = alerts.stream().map(AlertCounts::parse)
                .filter(a -> "wer_masquerade_chain".equals(a.get("rule_name").asText()) && "H-CHAIN".equals(a.get("host").asText()))
                .findFirst().orElseThrow();
        assertThat(chain.get("rule_id").asText()).isEqualTo("9a1f6c3d-8e2b-4b7a-a5d0-3e6f2c9b1d47");
        assertThat(chain.get("level").asText()).isEqualTo("critical");
        assertThat(chain.get("group_by").toString()).isEqualTo("{\"Computer\":\"H-CHAIN\",\"wer_process\":\"{g-chain}\"}");
        assertThat(chain.get("first_event_time").asText()).isEqualTo("2024-03-12T10:00:00.000Z");
        assertThat(chain.get("last_event_time").asText()).isEqualTo("2024-03-12T10:05:00.000Z");
        List<String> evidence = new ArrayList<>();
        chain.get("events").forEach(e -> evidence.add(e.toString()));
        assertThat(evidence).containsExactly(scenarios().get(0), scenarios().get(1), scenarios().get(2));
    }

    @Test
    void shuffledInputGivesTheSameAlerts(@TempDir Path dir) throws Exception {
        List<String> records = new ArrayList<>(scenarios());
        Collections.shuffle(records, new Random(42));
        int third = records.size() / 3;
        List<String> shuffled = replay(dir, List.of(records.subList(0, third), records.subList(third, 2 * third),
                records.subList(2 * third, records.size())));
        List<String> ordered = replay(Files.createDirectory(dir.resolve("ordered")), List.of(scenarios()));
        Collections.sort(shuffled);
        Collections.sort(ordered);
        assertThat(shuffled).isEqualTo(ordered);
    }
}
