package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.ConsoleCapture;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.Replays;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster jar's {@code replay} (a BATCH job writing part files through Flink's FileSink), run on a mini cluster
 * through the jar's main class: exactly the alerts and dead letters of the embedded replay of the same input, as
 * sorted lines. deploy/local/cluster-replay.sh checks the same on a real standalone cluster.
 */
class ClusterReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void partFilesHoldExactlyTheEmbeddedReplaysAlertsAndDeadLetters(@TempDir Path dir) throws Exception {
        Path alertsDir = dir.resolve("alerts");
        Path deadDir = dir.resolve("dead");
        ConsoleCapture.Captured<Void> run = ConsoleCapture.of(() -> {
            StreamingJob.main(new String[]{"replay", "--input", "samples/wer-chain", "--rules", "rules",
                    "--parallelism", "2", "--alerts", alertsDir.toUri().toString(), "--dead-letters", deadDir.toString()});
            return null;
        });
        assertThat(run.thrown()).isNull();

        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        Replays.batch(JobSettings.builder().parallelism(2).build(), rules)
                .run(InputFiles.expand(List.of(Path.of("samples/wer-chain"))), Lines.into(alerts), Lines.into(deadLetters));
        assertThat(alerts).hasSize(20);
        assertThat(deadLetters).hasSize(2);

        assertThat(partFiles(alertsDir)).isNotEmpty().allMatch(name -> name.matches("alerts-.+\\.ndjson"));
        assertThat(partFiles(deadDir)).isNotEmpty().allMatch(name -> name.matches("dead-letters-.+\\.ndjson"));
        assertThat(sortedLines(alertsDir)).isEqualTo(alerts.stream().sorted().toList());
        assertThat(sortedLines(deadDir)).isEqualTo(deadLetters.stream().sorted().toList());

        assertThat(run.out()).contains("sigma-cep replay on the cluster: 4 files")
                .containsPattern("records read\\s+101")
                .containsPattern("dead-lettered\\s+2\\n")
                .containsPattern("alerts\\s+20\\n")
                .containsPattern("wer_masquerade_chain\\s+3\\n");
    }

    @Test
    void aDirectoryThatHoldsFilesIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("old.ndjson"), "{}\n");
        ConsoleCapture.Captured<Void> run = ConsoleCapture.of(() -> {
            StreamingJob.main(new String[]{"replay", "--input", "samples/wer-chain", "--output", dir.toString()});
            return null;
        });
        assertThat(run.thrown()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--output " + dir + " is not an empty directory: on a cluster it names a directory for"
                        + " part files; give a new or empty one");
    }

    /** Every file the sink left (in-progress files are hidden, starting with a dot: none may remain). */
    private static List<String> partFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> sortedLines(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.flatMap(file -> {
                try {
                    return Files.readAllLines(file).stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }
}
