package dev.sigmacep.job;

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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.sigmacep.testing.AlertCounts.byRuleAndHost;
import static dev.sigmacep.testing.FlatSysmon.T0;
import static dev.sigmacep.testing.FlatSysmon.connection;
import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's per-step join correlation {@code wer_child_shell_callback} (rules/wer) end to end on a mini cluster:
 * a masquerading WER process, its child shell, and that child's own outbound connection, each step joined to the one
 * before it by a different field; several process trees on one host; BATCH over shuffled records equals STREAMING.
 */
class StepJoinsReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";
    private static final String CMD = "C:\\Windows\\System32\\cmd.exe";
    private static final String POWERSHELL = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
    private static final String CALLBACK = "wer_child_shell_callback";

    private static RuleSet rules;

    @BeforeAll
    static void loadRules() throws Exception {
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        assertThat(rules.model().errors()).isEmpty();
    }

    private static String wer(String host, Duration at, String guid) {
        return processStart(host, T0.plus(at), guid, WERMGR, "\"" + WERMGR + "\"", "{loader-" + host + "}",
                "C:\\Users\\alice\\loader.exe");
    }

    private static String child(String host, Duration at, String guid, String image, String parentGuid,
                                String parentImage) {
        return processStart(host, T0.plus(at), guid, image, image + " /c whoami", parentGuid, parentImage);
    }

    private static String connect(String host, Duration at, String guid, String image) {
        return connection(host, T0.plus(at), guid, image, "203.0.113.77");
    }

    private static Duration min(int minutes) {
        return Duration.ofMinutes(minutes);
    }

    private static List<String> scenarios() {
        List<String> records = new ArrayList<>();
        // two WER trees on one host; the one started first completes last
        records.add(wer("H-TWO", min(0), "{w1}"));
        records.add(wer("H-TWO", min(1), "{w2}"));
        records.add(child("H-TWO", min(2), "{s2}", CMD, "{w2}", WERMGR));
        records.add(connect("H-TWO", min(3), "{s2}", CMD));
        records.add(child("H-TWO", min(4), "{s1}", POWERSHELL, "{w1}", WERMGR));
        records.add(connect("H-TWO", min(5), "{s1}", POWERSHELL));
        // one tree completing four ways (two shells, each connecting twice): one alert
        records.add(wer("H-MANY", min(0), "{w}"));
        records.add(child("H-MANY", min(1), "{sa}", CMD, "{w}", WERMGR));
        records.add(child("H-MANY", min(1), "{sb}", POWERSHELL, "{w}", WERMGR));
        for (int i = 2; i < 4; i++) {
            records.add(connect("H-MANY", min(i), "{sa}", CMD));
            records.add(connect("H-MANY", min(i), "{sb}", POWERSHELL));
        }
        // links that do not join: a shell of another parent connects, the WER process's shell does not, and the
        // WER process itself connects (its GUID is the first step's, not the child's)
        records.add(wer("H-NONE", min(0), "{w}"));
        records.add(child("H-NONE", min(1), "{s}", CMD, "{w}", WERMGR));
        records.add(child("H-NONE", min(1), "{o}", CMD, "{x}", "C:\\Windows\\explorer.exe"));
        records.add(connect("H-NONE", min(2), "{o}", CMD));
        records.add(connect("H-NONE", min(3), "{w}", WERMGR));
        // the child connects 30 minutes after the WER start: past the timespan
        records.add(wer("H-LATE", min(0), "{w}"));
        records.add(child("H-LATE", min(10), "{s}", CMD, "{w}", WERMGR));
        records.add(connect("H-LATE", min(30), "{s}", CMD));
        return records;
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

    private static Map<String, Integer> callbacks(List<String> alerts) {
        Map<String, Integer> counts = new TreeMap<>();
        byRuleAndHost(alerts).forEach((key, count) -> {
            if (key.startsWith(CALLBACK + "@")) {
                counts.put(key, count);
            }
        });
        return counts;
    }

    @Test
    void eachChainAlertsOnceWithItsOwnEvidence(@TempDir Path dir) throws Exception {
        List<String> shuffled = new ArrayList<>(scenarios());
        Collections.shuffle(shuffled, new Random(7));
        List<String> batch = replay(Files.createDirectory(dir.resolve("batch")), shuffled, RuntimeExecutionMode.BATCH);
        assertThat(callbacks(batch)).isEqualTo(Map.of(CALLBACK + "@H-TWO", 2, CALLBACK + "@H-MANY", 1));

        List<String> evidence = new ArrayList<>();
        for (String alert : batch) {
            var json = AlertCounts.parse(alert);
            if (json.get("rule_name").asText().equals(CALLBACK) && json.get("host").asText().equals("H-TWO")) {
                List<String> guids = new ArrayList<>();
                json.get("events").forEach(event -> guids.add(AlertCounts.parse(event.isTextual() ? event.asText()
                        : event.toString()).get("ProcessGuid").asText()));
                evidence.add(String.join(" ", guids));
            }
        }
        Collections.sort(evidence);
        assertThat(evidence).containsExactly("{w1} {s1} {s1}", "{w2} {s2} {s2}");

        List<String> inTimeOrder = new ArrayList<>(scenarios());
        inTimeOrder.sort(Comparator.comparing(record -> Instant.parse(AlertCounts.parse(record).get("@timestamp").asText())));
        List<String> streamed = replay(Files.createDirectory(dir.resolve("streaming")), inTimeOrder,
                RuntimeExecutionMode.STREAMING);
        Collections.sort(batch);
        Collections.sort(streamed);
        assertThat(streamed).isEqualTo(batch);
    }
}
