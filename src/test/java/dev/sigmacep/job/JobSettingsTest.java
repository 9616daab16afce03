package dev.sigmacep.job;

import dev.sigmacep.job.JobSettings.DeliveryGuarantee;
import dev.sigmacep.job.JobSettings.StartingOffsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobSettingsTest {

    @Test
    void loadsTheShippedConfigurations() throws Exception {
        JobSettings replay = JobSettings.load(Path.of("jobs/replay-local.yaml"));
        // the project's rules/ and sample, wherever the shell is
        assertThat(replay.rules()).hasSize(1);
        assertThat(replay.rules().get(0)).isAbsolute().isDirectory()
                .satisfies(rules -> assertThat(Files.isSameFile(rules, Path.of("rules"))).isTrue());
        assertThat(replay.input().paths()).hasSize(1);
        assertThat(Files.isSameFile(replay.input().paths().get(0), Path.of("samples/wer-chain"))).isTrue();
        assertThat(replay.eventTime().maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(replay.parallelism()).isEqualTo(2);

        JobSettings kafka = JobSettings.load(Path.of("jobs/kafka.yaml"));
        assertThat(Files.isSameFile(kafka.rules().get(0), Path.of("rules"))).isTrue();
        assertThat(kafka.kafka().inputTopics()).containsExactly("sysmon");
        assertThat(kafka.kafka().deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(kafka.kafka().transactionTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(kafka.checkpoint().interval()).isEqualTo(Duration.ofSeconds(30));
    }

    /** The shipped files show every setting with its default (apart from paths and parallelism). */
    @Test
    void theShippedFilesHoldTheDefaults() throws Exception {
        JobSettings defaults = JobSettings.defaults();
        JobSettings replay = JobSettings.load(Path.of("jobs/replay-local.yaml"));
        assertThat(replay.eventTime()).isEqualTo(defaults.eventTime());
        assertThat(replay.input().maxRecordChars()).isEqualTo(defaults.input().maxRecordChars());
        assertThat(replay.output()).isEqualTo(defaults.output());
        JobSettings kafka = JobSettings.load(Path.of("jobs/kafka.yaml"));
        assertThat(kafka.kafka()).isEqualTo(defaults.kafka());
        assertThat(kafka.checkpoint()).isEqualTo(defaults.checkpoint());
    }

    @Test
    void defaults(@TempDir Path dir) throws Exception {
        JobSettings defaults = JobSettings.defaults();
        assertThat(defaults.rules()).isEmpty();
        assertThat(defaults.placeholders()).isNull();
        assertThat(defaults.parallelism()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
        assertThat(defaults.eventTime()).isEqualTo(new JobSettings.EventTime(Duration.ofMinutes(2), Duration.ofMinutes(1), Duration.ofHours(1)));
        assertThat(defaults.input()).isEqualTo(new JobSettings.Input(List.of(), 1 << 20));
        assertThat(defaults.output()).isEqualTo(new JobSettings.Output(null, null));
        assertThat(defaults.kafka()).isEqualTo(new JobSettings.Kafka("localhost:9092", List.of("sysmon"), "sigma-cep",
                StartingOffsets.COMMITTED, "sigma-cep-alerts", "sigma-cep-dead-letters", DeliveryGuarantee.EXACTLY_ONCE,
                "sigma-cep", Duration.ofMinutes(10), Map.of()));
        assertThat(defaults.checkpoint()).isEqualTo(new JobSettings.Checkpoint(Duration.ofSeconds(30), null));

        // an empty file, and keys set to null, keep them
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, "# nothing set\n");
        assertThat(JobSettings.load(file)).isEqualTo(defaults);
        Files.writeString(file, """
                rules: null
                parallelism: null
                event-time: {max-out-of-orderness: null, max-future: null}
                input: null
                kafka: {input-topics: null, delivery-guarantee: null, properties: null}
                checkpoint: {dir: null}
                """);
        assertThat(JobSettings.load(file)).isEqualTo(defaults);
    }

    @Test
    void relativePathsAreRelativeToTheFilesDirectory(@TempDir Path dir) throws Exception {
        Path jobs = Files.createDirectories(dir.resolve("jobs"));
        Path absolute = dir.resolve("shared/rules").toAbsolutePath();
        Path file = jobs.resolve("job.yaml");
        Files.writeString(file, """
                rules: [detections, ../more-rules, %s]
                placeholders: placeholders.yaml
                input: {paths: [../telemetry]}
                output: {alerts: out/alerts.ndjson, dead-letter: out/dead-letters.ndjson}
                checkpoint: {dir: 'file:///var/lib/sigma-cep/checkpoints'}
                """.formatted(absolute));
        JobSettings settings = JobSettings.load(file);
        Path base = jobs.toAbsolutePath();
        assertThat(settings.rules()).containsExactly(base.resolve("detections"), base.resolve("../more-rules"), absolute);
        assertThat(settings.placeholders()).isEqualTo(base.resolve("placeholders.yaml"));
        assertThat(settings.input().paths()).containsExactly(base.resolve("../telemetry"));
        assertThat(settings.output().alerts()).isEqualTo(base.resolve("out/alerts.ndjson"));
        assertThat(settings.output().deadLetter()).isEqualTo(base.resolve("out/dead-letters.ndjson"));
        // a Flink file system URI, not a path of this machine
        assertThat(settings.checkpoint().dir()).isEqualTo("file:///var/lib/sigma-cep/checkpoints");
    }

    @Test
    void unknownKeysAreErrorsThatNameTheFileAndListTheKnownOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "event-time:\n  max-out-of-order: 5m\n");
        assertThatThrownBy(() -> JobSettings.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": unknown setting event-time.max-out-of-order (known: idle-timeout, max-future, max-out-of-orderness)");
        Files.writeString(file, "paralelism: 4\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file + ": unknown setting paralelism (known:"
                + " checkpoint, correlation-state, event-time, input, kafka, output, parallelism, placeholders, rule-updates,"
                + " rules)");
        Files.writeString(file, "kafka: {topics: [a]}\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessageStartingWith(file + ": unknown setting kafka.topics (known: ");
    }

    @Test
    void badValuesNameTheFileAndTheSetting(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "event-time:\n  max-out-of-orderness: two minutes\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file + ": event-time.max-out-of-orderness"
                + " 'two minutes' is not a duration (a whole number and a unit: ms, s, m, h or d, e.g. 500ms, 30s, 5m, 1h, 1d)");
        Files.writeString(file, "event-time: {max-future: 0s}\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file + ": event-time.max-future '0s' must be longer than zero");
        Files.writeString(file, "event-time: {max-future: 90m}\n");
        assertThat(JobSettings.load(file).eventTime().maxFuture()).isEqualTo(Duration.ofMinutes(90));
        Files.writeString(file, "correlation-state: {max-inputs-per-group: 50, max-groups: 1000}\n");
        assertThat(JobSettings.load(file).correlationState()).isEqualTo(new JobSettings.CorrelationState(50, 1000));
        assertThat(JobSettings.defaults().correlationState()).isEqualTo(new JobSettings.CorrelationState(1000, 250_000));
        Files.writeString(file, "correlation-state: {max-groups: 0}\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file
                + ": correlation-state.max-groups must be a positive integer, got '0'");
        Files.writeString(file, "checkpoint: {interval: 0s}\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file + ": checkpoint.interval '0s' must be longer than zero");
        Files.writeString(file, "kafka:\n  delivery-guarantee: maybe\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file
                + ": kafka.delivery-guarantee must be one of exactly-once, at-least-once, got 'maybe'");
        Files.writeString(file, "kafka: {starting-offsets: newest}\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file
                + ": kafka.starting-offsets must be one of committed, earliest, latest, got 'newest'");
        Files.writeString(file, "parallelism: 0\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file + ": parallelism must be a positive integer, got '0'");
        Files.writeString(file, "input: [a]\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file + ": input must be a map");
        Files.writeString(file, "- a list\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file + ": the file must be a map");
    }

    @Test
    void choicesAreReadInAnyCase(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, "kafka: {delivery-guarantee: At-Least-Once, starting-offsets: LATEST}\n");
        JobSettings.Kafka kafka = JobSettings.load(file).kafka();
        assertThat(kafka.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(kafka.startingOffsets()).isEqualTo(StartingOffsets.LATEST);
    }

    @Test
    void kafkaPropertiesAndOneTopicAsAString(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, "kafka: {input-topics: winlogbeat, properties: {request.timeout.ms: 2000, security.protocol: SSL}}\n");
        JobSettings.Kafka kafka = JobSettings.load(file).kafka();
        assertThat(kafka.inputTopics()).containsExactly("winlogbeat");
        assertThat(kafka.properties()).containsOnly(Map.entry("request.timeout.ms", "2000"), Map.entry("security.protocol", "SSL"));
    }

    /** The same loader as rules and mappings: duplicate keys (the second would win silently) and alias bombs fail. */
    @Test
    void duplicateKeysAndAliasBombsAreRejected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, "parallelism: 2\nkafka: {group-id: a}\nparallelism: 4\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessageStartingWith(file + ": invalid YAML: ")
                .hasMessageContaining("found duplicate key parallelism");
        StringBuilder doubling = new StringBuilder("kafka:\n  properties:\n    l0: &l0 [x, x]\n");
        for (int i = 1; i <= 24; i++) {
            doubling.append("    l").append(i).append(": &l").append(i).append(" [*l").append(i - 1)
                    .append(", *l").append(i - 1).append("]\n");
        }
        Files.writeString(file, doubling);
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file
                + ": YAML rejected: the document expands to more than 200000 nodes (alias explosion?)");
    }

    @Test
    void ruleUpdatesAreASectionOfTheJobFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.yaml");
        java.nio.file.Files.writeString(file, "rule-updates:\n  directory: live\n  poll-interval: 5s\n"
                + "  kafka-topic: sigma-rules\n  status-topic: sigma-rule-status\n");
        JobSettings.RuleUpdates updates = JobSettings.load(file).ruleUpdates();
        assertThat(updates).isEqualTo(new JobSettings.RuleUpdates(dir.resolve("live"), java.time.Duration.ofSeconds(5),
                "sigma-rules", "sigma-rule-status"));
        assertThat(updates.enabled()).isTrue();
        java.nio.file.Files.writeString(file, "rule-updates:\n  folder: live\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessageContaining("rule-updates.folder");
    }

    @Test
    void settingsAreImmutableAndOverriddenThroughABuilder(@TempDir Path dir) throws Exception {
        JobSettings settings = JobSettings.load(Path.of("jobs/kafka.yaml"));
        assertThat(settings.toBuilder().build()).isEqualTo(settings);
        JobSettings overridden = settings.toBuilder().parallelism(7).build();
        assertThat(overridden.parallelism()).isEqualTo(7);
        assertThat(overridden).isEqualTo(new JobSettings(settings.rules(), settings.placeholders(), 7,
                settings.eventTime(), settings.input(), settings.output(), settings.kafka(), settings.checkpoint(),
                settings.ruleUpdates(), settings.correlationState()));
        assertThat(settings.ruleUpdates().enabled()).isFalse();
        assertThat(settings.parallelism()).isEqualTo(2);
        assertThatThrownBy(() -> settings.rules().add(dir)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> settings.kafka().inputTopics().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> settings.toBuilder().parallelism(0).build())
                .hasMessage("parallelism must be a positive integer, got '0'");
    }
}
