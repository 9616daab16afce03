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
        assertThat(replay.rules).containsExactly("rules");
        assertThat(replay.inputPaths).containsExactly("samples/wer-chain");
        assertThat(replay.maxOutOfOrderness).isEqualTo(Duration.ofMinutes(2));
        assertThat(replay.parallelism).isEqualTo(2);

        JobSettings kafka = JobSettings.load(Path.of("jobs/kafka.yaml"));
        assertThat(kafka.kafka.inputTopics).containsExactly("sysmon");
        assertThat(kafka.kafka.deliveryGuarantee).isEqualTo("exactly-once");
        assertThat(kafka.kafka.transactionTimeout).isEqualTo(Duration.ofMinutes(10));
        assertThat(kafka.checkpointInterval).isEqualTo(Duration.ofSeconds(30));
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
