package dev.sigmacep.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
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
import java.util.TreeMap;

import static dev.sigmacep.testing.AlertCounts.byRuleAndHost;
import static dev.sigmacep.testing.AlertCounts.expectOnEach;
import static dev.sigmacep.testing.FlatSysmon.T0;
import static dev.sigmacep.testing.FlatSysmon.connection;
import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Absence and {@code until} end to end on a mini cluster, over the flagship rules and a WER process-exit rule
 * (src/test/resources/correlation-extended): a shell from a WER process that has not exited, a connection before
 * the process exits, and a WER start with no connection within five minutes; BATCH and STREAMING alike.
 */
class ExtendedTemporalReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";
    private static final String CMD = "C:\\Windows\\System32\\cmd.exe";
    private static final List<String> EXTENDED = List.of("wer_shell_while_running", "wer_netconn_until_exit",
            "wer_start_without_connection", "wer_process_exit");

    private static RuleSet rules;

    @BeforeAll
    static void loadRules() throws Exception {
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules/wer"),
                Path.of("src/test/resources/correlation-extended"))), MatchContext.empty());
        assertThat(rules.model().errors()).isEmpty();
    }

    private static String exit(String host, Instant time, String guid) {
        ObjectNode record = JSON.createObjectNode();
        record.put("SourceName", "Microsoft-Windows-Sysmon");
        record.put("Channel", "Microsoft-Windows-Sysmon/Operational");
        record.put("Hostname", host);
        record.put("EventID", 5);
        record.put("@timestamp", time.toString());
        record.put("UtcTime", time.toString().replace('T', ' ').replace("Z", ""));
        record.put("ProcessGuid", guid);
        record.put("Image", WERMGR);
        return record.toString();
    }

    private static String start(String host, String guid) {
        return processStart(host, T0, guid, WERMGR, "\"" + WERMGR + "\"", "{p-" + host + "}", "C:\\loader.exe");
    }

    private static String shell(String host, Duration after, String parentGuid) {
        return processStart(host, T0.plus(after), "{c-" + host + "}", CMD, "cmd.exe /c whoami", parentGuid, WERMGR);
    }

    private static List<String> scenarios() {
        List<String> records = new ArrayList<>();
        // a shell from a running WER process; no connection within five minutes
        records.add(start("H-RUN", "{g-run}"));
        records.add(shell("H-RUN", Duration.ofMinutes(2), "{g-run}"));
        // the process exits before the shell (a reused GUID): no shell alert; no connection either
        records.add(start("H-EXIT", "{g-exit}"));
        records.add(exit("H-EXIT", T0.plusSeconds(60), "{g-exit}"));
        records.add(shell("H-EXIT", Duration.ofMinutes(2), "{g-exit}"));
        // a connection while the process runs
        records.add(start("H-CONN", "{g-conn}"));
        records.add(connection("H-CONN", T0.plusSeconds(20), "{g-conn}", WERMGR, "203.0.113.50"));
        // the process exits, then a connection under its GUID: until ends the partial match
        records.add(start("H-EXIT-CONN", "{g-ec}"));
        records.add(exit("H-EXIT-CONN", T0.plusSeconds(10), "{g-ec}"));
        records.add(connection("H-EXIT-CONN", T0.plusSeconds(20), "{g-ec}", WERMGR, "203.0.113.51"));
        return records;
    }

    private static Map<String, Integer> extendedAlerts(List<String> alerts) {
        Map<String, Integer> counts = new TreeMap<>();
        byRuleAndHost(alerts).forEach((key, count) -> {
            if (EXTENDED.contains(key.substring(0, key.indexOf('@')))) {
                counts.put(key, count);
            }
        });
        return counts;
    }

    private static List<String> replay(Path dir, List<String> records, RuntimeExecutionMode mode) throws Exception {
        Path file = dir.resolve("records.ndjson");
        Files.write(file, records);
        List<String> alerts = Collections.synchronizedList(new ArrayList<>());
        List<String> deadLetters = new ArrayList<>();
        Replays.inMode(JobSettings.builder().parallelism(2).build(), rules, mode)
                .run(List.of(file), Lines.into(alerts), Lines.into(deadLetters));
        assertThat(deadLetters).isEmpty();
        return alerts;
    }

    @Test
    void absenceAndUntilFireExactlyWhereTheyShould(@TempDir Path dir) throws Exception {
        Map<String, Integer> expected = new TreeMap<>();
        expectOnEach(expected, "wer_shell_while_running", "H-RUN");
        expectOnEach(expected, "wer_netconn_until_exit", "H-CONN");
        expectOnEach(expected, "wer_start_without_connection", "H-RUN", "H-EXIT");

        List<String> batch = replay(Files.createDirectory(dir.resolve("batch")), scenarios(), RuntimeExecutionMode.BATCH);
        assertThat(extendedAlerts(batch)).isEqualTo(expected);
        // the flagship netconn correlation has no until: it fires on H-EXIT-CONN all the same
        assertThat(byRuleAndHost(batch)).containsEntry("wer_masquerade_netconn@H-EXIT-CONN", 1);

        List<String> inTimeOrder = new ArrayList<>(scenarios());
        inTimeOrder.sort(java.util.Comparator.comparing(record -> Instant.parse(
                dev.sigmacep.testing.AlertCounts.parse(record).get("@timestamp").asText())));
        List<String> streamed = replay(Files.createDirectory(dir.resolve("streaming")), inTimeOrder,
                RuntimeExecutionMode.STREAMING);
        Collections.sort(batch);
        Collections.sort(streamed);
        assertThat(streamed).isEqualTo(batch);
    }
}
