package dev.sigmacep.job;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The options both replays share ({@link ReplayOptions}): parsing, defaults, aliases and the checks. */
class ReplayOptionsTest {
    @Command(name = "replay")
    static final class Holder {
        @Mixin
        ReplayOptions options;
    }

    private static ReplayOptions parse(String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return holder.options;
    }

    @Test
    void defaults() throws Exception {
        ReplayOptions options = parse("--input", "a.ndjson", "s3://bucket/telemetry/");
        options.check();
        assertThat(options.inputs()).containsExactly("a.ndjson", "s3://bucket/telemetry/");
        assertThat(options.inputTopics()).isEmpty();
        assertThat(options.mode()).isEqualTo(RuntimeExecutionMode.BATCH);
        assertThat(options.output()).isNull();
        assertThat(options.deadLetter()).isNull();
        assertThat(options.from()).isEqualTo(KafkaPosition.EARLIEST);
        assertThat(options.to()).isEqualTo(KafkaPosition.LATEST);
        assertThat(options.settings()).isEqualTo(JobSettings.defaults());
    }

    @Test
    void alertsAndDeadLettersAreAliasesOfOutputAndDeadLetter() {
        ReplayOptions options = parse("--input", "x", "--alerts", "file:///tmp/a", "--dead-letters", "file:///tmp/d");
        assertThat(options.output()).isEqualTo("file:///tmp/a");
        assertThat(options.deadLetter()).isEqualTo("file:///tmp/d");
        ReplayOptions same = parse("--input", "x", "--output", "file:///tmp/a", "--dead-letter", "file:///tmp/d");
        assertThat(same.output()).isEqualTo("file:///tmp/a");
        assertThat(same.deadLetter()).isEqualTo("file:///tmp/d");
    }

    @Test
    void aBoundedKafkaRead() throws Exception {
        ReplayOptions options = parse("--input-topic", "sysmon", "winlog", "--from", "2024-03-12T00:00:00Z",
                "--to", "sysmon:0:100", "--bootstrap-servers", "broker:9092", "--alerts-topic", "alerts",
                "--dead-letter-topic", "dead", "--parallelism", "3", "--mode", "batch");
        options.check();
        assertThat(options.inputTopics()).containsExactly("sysmon", "winlog");
        assertThat(options.from().timestampMillis()).isEqualTo(1_710_201_600_000L);
        assertThat(options.to().kind()).isEqualTo(KafkaPosition.Kind.OFFSETS);
        assertThat(options.alertsTopic()).isEqualTo("alerts");
        assertThat(options.deadLetterTopic()).isEqualTo("dead");
        JobSettings settings = options.settings();
        assertThat(settings.kafka().bootstrapServers()).isEqualTo("broker:9092");
        assertThat(settings.parallelism()).isEqualTo(3);
    }

    @Test
    void theCommandLineOverridesTheJobFile(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, "parallelism: 5\nkafka:\n  bootstrap-servers: from-file:9092\n");
        assertThat(parse("--config", job.toString()).settings().kafka().bootstrapServers()).isEqualTo("from-file:9092");
        assertThat(parse("--config", job.toString()).settings().parallelism()).isEqualTo(5);
        JobSettings overridden = parse("--config", job.toString(), "--bootstrap-servers", "cli:9092", "--parallelism", "1")
                .settings();
        assertThat(overridden.kafka().bootstrapServers()).isEqualTo("cli:9092");
        assertThat(overridden.parallelism()).isEqualTo(1);
    }

    @Test
    void checks() {
        assertThatThrownBy(() -> parse("--input", "a", "--input-topic", "t").check())
                .hasMessage("give --input or --input-topic, not both");
        assertThatThrownBy(() -> parse("--input", "a", "--from", "latest").check())
                .hasMessage("--from and --to bound a Kafka read: they need --input-topic");
        assertThatThrownBy(() -> parse("--input", "a", "--to", "2024-03-12T00:00:00Z").check())
                .hasMessage("--from and --to bound a Kafka read: they need --input-topic");
        assertThatThrownBy(() -> parse("--input-topic", "t", "--to", "earliest").check())
                .hasMessage("--to earliest reads nothing: give latest, a timestamp or offsets");
        assertThatThrownBy(() -> parse("--input-topic", "t", "--from", "monday").check())
                .hasMessageStartingWith("--from 'monday': expected earliest, latest");
        assertThatThrownBy(() -> parse("--input", "a", "--output", "o", "--alerts-topic", "t").check())
                .hasMessage("give --output or --alerts-topic, not both");
        assertThatThrownBy(() -> parse("--input", "a", "--dead-letter", "d", "--dead-letter-topic", "t").check())
                .hasMessage("give --dead-letter or --dead-letter-topic, not both");
    }

    @Test
    void anUnknownModeIsAParseError() {
        assertThatThrownBy(() -> parse("--input", "a", "--mode", "fast"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--mode");
    }

    @Test
    void inputsWithoutASchemeAreLocalPathsMadeAbsolute() {
        assertThat(InputFiles.flinkPath("file:///data/x.ndjson").toUri().toString()).isEqualTo("file:///data/x.ndjson");
        assertThat(InputFiles.flinkPath("s3://bucket/telemetry/").toUri().getScheme()).isEqualTo("s3");
        assertThat(InputFiles.flinkPath("hdfs://nn:8020/t").toUri().getAuthority()).isEqualTo("nn:8020");
        assertThat(InputFiles.flinkPath("samples/wer-chain").toUri())
                .isEqualTo(Path.of("samples/wer-chain").toAbsolutePath().normalize().toUri());
        assertThat(List.of(InputFiles.flinkPath("a b.ndjson").getName())).containsExactly("a b.ndjson");
    }
}
