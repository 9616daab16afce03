package dev.sigmacep.job;

import dev.sigmacep.testing.ConsoleCapture;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster jar's main class takes the arguments of {@code sigma-cep run}, and fails by throwing, never exiting. */
class StreamingJobArgumentsTest {

    record Outcome(Throwable thrown, String out, String err) {
    }

    private static Outcome main(String... args) {
        ConsoleCapture.Captured<Void> run = ConsoleCapture.of(() -> {
            StreamingJob.main(args);
            return null;
        });
        return new Outcome(run.thrown(), run.out(), run.err());
    }

    @Test
    void withoutConfigItPrintsTheMessageAndUsageAndThrows() {
        Outcome outcome = main("--rules", "rules");
        assertThat(outcome.thrown()).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Missing required option: '--config=FILE'");
        assertThat(outcome.err()).startsWith("Missing required option: '--config=FILE'")
                .contains("Usage: dev.sigmacep.job.StreamingJob", "--config=FILE", "--rules=DIR", "--placeholders=FILE");
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void anUnknownOptionIsNamed() {
        Outcome outcome = main("--config", "jobs/kafka.yaml", "--checkpoint-dir=/tmp");
        assertThat(outcome.thrown()).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Unknown option: '--checkpoint-dir=/tmp'");
        assertThat(outcome.err()).startsWith("Unknown option: '--checkpoint-dir=/tmp'")
                .contains("Usage: dev.sigmacep.job.StreamingJob");
    }

    /**
     * On this machine's mini cluster (bin/sigma-cep run) checkpoints go to a directory even when the job file names
     * none: Flink's default, the JobManager's memory, holds 5 MB, and once the correlation state outgrows it every
     * checkpoint fails and no exactly-once alert is ever committed (found by KafkaLatencyBenchmark).
     */
    @Test
    void aLocalRunCheckpointsToADirectoryWhenTheJobFileNamesNone() throws Exception {
        JobSettings settings = JobSettings.load(Path.of("jobs/kafka.yaml"));
        assertThat(settings.checkpoint().dir()).isNull();
        String dir = StreamingJob.environment(settings, new Configuration()).getConfiguration()
                .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        assertThat(dir).startsWith("file:/");
        assertThat(Path.of(java.net.URI.create(dir))).isEmptyDirectory();

        JobSettings named = settings.toBuilder().checkpointDir("file:///var/lib/sigma-cep/checkpoints").build();
        assertThat(StreamingJob.environment(named, new Configuration()).getConfiguration()
                .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///var/lib/sigma-cep/checkpoints");
    }

    @Test
    void helpPrintsTheUsageOfRunAndStartsNothing() {
        Outcome outcome = main("--help");
        assertThat(outcome.thrown()).isNull();
        assertThat(outcome.out()).startsWith("Usage: dev.sigmacep.job.StreamingJob")
                .contains("Runs the streaming job", "--config=FILE", "--rules=DIR", "--placeholders=FILE");
        assertThat(outcome.err()).isEmpty();
    }

    /** What the command throws reaches {@code flink run} as it is, before anything is submitted. */
    @Test
    void aBadJobFileFailsWithItsMessage(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("kafka.yaml");
        Files.writeString(job, "kafka: {topics: [sysmon]}\n");
        Outcome outcome = main("--config", job.toString());
        assertThat(outcome.thrown()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(job + ": unknown setting kafka.topics (known: ");
    }

    @Test
    void runFirstIsTheSameAsTheArgumentsAlone() {
        Outcome outcome = main("run", "--rules", "rules");
        assertThat(outcome.thrown()).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Missing required option: '--config=FILE'");
        assertThat(outcome.err()).contains("Usage: dev.sigmacep.job.StreamingJob run", "--config=FILE");
    }

    @Test
    void replayFirstTakesTheOptionsOfSigmaCepReplay() {
        Outcome outcome = main("replay", "--help");
        assertThat(outcome.thrown()).isNull();
        assertThat(outcome.out()).startsWith("Usage: dev.sigmacep.job.StreamingJob replay")
                .contains("BATCH job", "--input=PATH", "--input-topic=TOPIC", "--from=POSITION", "--to=POSITION",
                        "--output, --alerts=FILE", "--dead-letter, --dead-letters=FILE", "--alerts-topic=TOPIC",
                        "--dead-letter-topic=TOPIC", "--config=FILE", "--rules=DIR", "--parallelism=N", "--mode=MODE");
        assertThat(outcome.err()).isEmpty();
    }

    @Test
    void aReplayOnAClusterNeedsAnOutputAndBatchMode() {
        Outcome noOutput = main("replay", "--input", "samples/wer-chain");
        assertThat(noOutput.thrown()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a replay on a cluster writes its alerts to files or Kafka: give --output DIR (a Flink file"
                        + " system path) or --alerts-topic TOPIC");
        Outcome streaming = main("replay", "--input", "samples/wer-chain", "--output", "/tmp/x", "--mode", "streaming");
        assertThat(streaming.thrown()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a replay on a cluster runs in BATCH mode; --mode STREAMING is for bin/sigma-cep replay");
        Outcome missing = main("replay", "--input", "file:///no/such/dir", "--output", "/tmp/x");
        assertThat(missing.thrown()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input not found: file:///no/such/dir");
        Outcome unknown = main("replay", "--quiet", "--input", "x");
        assertThat(unknown.thrown()).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Unknown option: '--quiet'");
    }
}
