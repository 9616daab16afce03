package dev.sigmacep.cli;

import dev.sigmacep.job.ClusterReplayCommand;
import dev.sigmacep.testing.ConsoleCapture;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/sigma-cep replay} and the cluster jar's {@code replay} are one definition ({@code job.ReplayOptions}): the
 * same options with the same names, arities, defaults and descriptions; only {@code --quiet} (the progress display of
 * the embedded replay) is the embedded one's own.
 */
class ReplayOptionsSharedTest {

    private static Map<String, String> options(Object command) {
        Map<String, String> options = new TreeMap<>();
        for (OptionSpec option : new CommandLine(command).getCommandSpec().options()) {
            options.put(String.join(",", option.names()), option.arity() + " " + option.defaultValue() + " "
                    + option.paramLabel() + " " + String.join(" ", option.description()));
        }
        return options;
    }

    @Test
    void bothReplaysHaveTheSameOptions() {
        Map<String, String> embedded = options(new ReplayCommand());
        Map<String, String> cluster = options(new ClusterReplayCommand());
        assertThat(embedded.remove("--quiet")).isNotNull();
        assertThat(embedded).isEqualTo(cluster);
        assertThat(cluster.keySet()).contains("--input", "--input-topic", "--from", "--to", "--bootstrap-servers",
                "--rules", "--placeholders", "--output,--alerts", "--dead-letter,--dead-letters", "--alerts-topic",
                "--dead-letter-topic", "--config", "--parallelism", "--mode");
    }

    @Test
    void theEmbeddedReplayLeavesKafkaOutputAndOtherFileSystemsToTheCluster() {
        for (List<String> args : List.of(
                List.of("replay", "--input", "samples/wer-chain", "--alerts-topic", "alerts"),
                List.of("replay", "--input", "s3://bucket/telemetry/"),
                List.of("replay", "--input", "samples/wer-chain", "--output", "hdfs://nn/alerts"))) {
            ConsoleCapture.Captured<Integer> run = ConsoleCapture.of(
                    () -> Main.commandLine().execute(args.toArray(String[]::new)));
            assertThat(run.result()).as(args.toString()).isEqualTo(2);
            assertThat(run.err()).as(args.toString()).containsAnyOf(
                    "sigma-cep: --alerts-topic and --dead-letter-topic are for the replay on a cluster",
                    "sigma-cep: --input s3://bucket/telemetry/: bin/sigma-cep replay reads and writes local files",
                    "sigma-cep: --output hdfs://nn/alerts: bin/sigma-cep replay reads and writes local files");
        }
    }
}
