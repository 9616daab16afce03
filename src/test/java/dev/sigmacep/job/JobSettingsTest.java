package dev.sigmacep.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobSettingsTest {

    @Test
    void loadsTheShippedConfigurations() throws Exception {
        JobSettings replay = JobSettings.load(Path.of("jobs/replay-local.yaml"));
        // the project's rules/ and sample, wherever the shell is
        assertThat(Path.of(replay.rules.get(0))).isAbsolute().isDirectory()
                .satisfies(rules -> assertThat(Files.isSameFile(rules, Path.of("rules"))).isTrue());
        assertThat(replay.rules).hasSize(1);
        assertThat(replay.inputPaths).hasSize(1);
        assertThat(Files.isSameFile(Path.of(replay.inputPaths.get(0)), Path.of("samples/wer-chain"))).isTrue();
        assertThat(replay.maxOutOfOrderness).isEqualTo(Duration.ofMinutes(2));
        assertThat(replay.parallelism).isEqualTo(2);

        JobSettings kafka = JobSettings.load(Path.of("jobs/kafka.yaml"));
        assertThat(Files.isSameFile(Path.of(kafka.rules.get(0)), Path.of("rules"))).isTrue();
        assertThat(kafka.kafka.inputTopics).containsExactly("sysmon");
        assertThat(kafka.kafka.deliveryGuarantee).isEqualTo("exactly-once");
        assertThat(kafka.kafka.transactionTimeout).isEqualTo(Duration.ofMinutes(10));
        assertThat(kafka.checkpointInterval).isEqualTo(Duration.ofSeconds(30));
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
        assertThat(settings.rules).containsExactly(base.resolve("detections").toString(),
                base.resolve("../more-rules").toString(), absolute.toString());
        assertThat(settings.placeholders).isEqualTo(base.resolve("placeholders.yaml").toString());
        assertThat(settings.inputPaths).containsExactly(base.resolve("../telemetry").toString());
        assertThat(settings.alertsFile).isEqualTo(base.resolve("out/alerts.ndjson").toString());
        assertThat(settings.deadLetterFile).isEqualTo(base.resolve("out/dead-letters.ndjson").toString());
        // a Flink file system URI, not a path of this machine
        assertThat(settings.checkpointDir).isEqualTo("file:///var/lib/sigma-cep/checkpoints");
    }

    @Test
    void unknownKeysAreErrorsThatListTheKnownOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "event-time:\n  max-out-of-order: 5m\n");
        assertThatThrownBy(() -> JobSettings.load(file))
                .hasMessage(file + ": unknown setting event-time.max-out-of-order (known: idle-timeout, max-out-of-orderness)");
    }

    @Test
    void badValuesNameTheSetting(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "event-time:\n  max-out-of-orderness: two minutes\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file
                + ": event-time.max-out-of-orderness: 'two minutes' is not a duration (e.g. 500ms, 30s, 2m, 1h, 1d)");
        Files.writeString(file, "kafka:\n  delivery-guarantee: maybe\n");
        assertThatThrownBy(() -> JobSettings.load(file)).hasMessage(file
                + ": kafka.delivery-guarantee must be one of exactly-once, at-least-once, got 'maybe'");
    }

    @Test
    void durationsUseSigmaTimespanUnits() {
        assertThat(JobSettings.parseDuration("500ms", "x")).isEqualTo(Duration.ofMillis(500));
        assertThat(JobSettings.parseDuration("90m", "x")).isEqualTo(Duration.ofMinutes(90));
        assertThat(JobSettings.parseDuration("1d", "x")).isEqualTo(Duration.ofDays(1));
    }
}
