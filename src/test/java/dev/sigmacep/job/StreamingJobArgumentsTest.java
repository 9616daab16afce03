package dev.sigmacep.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster jar's main class takes the arguments of {@code sigma-cep run}, and fails by throwing, never exiting. */
class StreamingJobArgumentsTest {

    record Outcome(Throwable thrown, String out, String err) {
    }

    private static synchronized Outcome main(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Throwable thrown = null;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            StreamingJob.main(args);
        } catch (Exception e) {
            thrown = e;
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Outcome(thrown, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
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
}
