package dev.sigmacep.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.AlertCounts;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.Replays;
import org.apache.flink.api.common.RuntimeExecutionMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One replay of records written to a JSON Lines file (one file: one source split, so one watermark, as one Kafka
 * partition has) with the project's rules, and what came out of it.
 *
 * @param alerts      counted by {@code rule@host}
 * @param deadLetters {@code reason} of each dead letter, sorted
 * @param late        {@code reason} of each late record, sorted
 */
record ReplayRun(Map<String, Integer> alerts, List<String> deadLetters, List<String> late, List<String> alertLines) {
    private static RuleSet rules;

    static synchronized RuleSet rules() throws Exception {
        if (rules == null) {
            rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        }
        return rules;
    }

    static ReplayRun of(Path dir, List<String> records, RuntimeExecutionMode mode, JobSettings settings)
            throws Exception {
        Path file = Files.createTempFile(dir, "records", ".ndjson");
        Files.write(file, records);
        List<String> alerts = Collections.synchronizedList(new ArrayList<>());
        List<String> others = Collections.synchronizedList(new ArrayList<>());
        Replays.inMode(settings, rules(), mode).run(List.of(file), Lines.into(alerts), Lines.into(others));
        List<String> deadLetters = new ArrayList<>();
        List<String> late = new ArrayList<>();
        for (String line : others) {
            JsonNode json = AlertCounts.parse(line);
            (json.get("kind").asText().equals("late") ? late : deadLetters).add(json.get("reason").asText());
        }
        Collections.sort(deadLetters);
        Collections.sort(late);
        List<String> sorted = new ArrayList<>(alerts);
        Collections.sort(sorted);
        return new ReplayRun(AlertCounts.byRuleAndHost(alerts), deadLetters, late, sorted);
    }

    static ReplayRun streaming(Path dir, List<String> records) throws Exception {
        return of(dir, records, RuntimeExecutionMode.STREAMING, JobSettings.builder().parallelism(1).build());
    }
}
