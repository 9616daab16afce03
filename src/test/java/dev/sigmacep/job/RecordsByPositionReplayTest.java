package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.SourceFiles;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.Replays;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A BATCH replay of an uncompressed JSON Lines file sends its shared correlations' records as positions in the file and
 * reads them back (correlate.RecordReference): the alerts are those of the same file gzipped, whose records cross
 * themselves; and a file changed under the replay fails it with the file named, rather than alerting on other bytes.
 */
class RecordsByPositionReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path SAMPLE = Path.of("samples/wer-chain/sysmon-flat.ndjson");

    private static RuleSet rules;

    @BeforeAll
    static void loadRules() throws Exception {
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
    }

    @Test
    void alertsAreThoseOfTheRecordsCarriedAlong(@TempDir Path dir) throws Exception {
        Path plain = Files.copy(SAMPLE, dir.resolve("plain.ndjson"));
        Path gzipped = dir.resolve("gzipped.ndjson.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            Files.copy(SAMPLE, out);
        }
        List<String> byPosition = alerts(plain);
        List<String> carried = alerts(gzipped);
        assertThat(byPosition).hasSize(8).isEqualTo(carried);
        assertThat(byPosition).filteredOn(alert -> alert.contains("\"rule_name\":\"wer_masquerade_chain\"")).hasSize(1);
    }

    private static List<String> alerts(Path file) throws Exception {
        List<String> alerts = new ArrayList<>();
        Replays.batch(JobSettings.builder().parallelism(2).build(), rules)
                .run(List.of(file), Lines.into(alerts), Lines.into(new ArrayList<>()));
        Collections.sort(alerts);
        return alerts;
    }

    @Test
    void anInputFileChangedWhileTheReplayReadsItFailsTheReplay(@TempDir Path dir) throws Exception {
        Path file = Files.copy(SAMPLE, dir.resolve("changing.ndjson"));
        assertThatThrownBy(() -> replayRewritingAtFirstAlert(file, List.of(file)))
                .hasStackTraceContaining("input file " + file.toAbsolutePath() + " changed while the replay read it: "
                        + "the ")
                .hasStackTraceContaining("no longer hold the record read there");
    }

    @Test
    void aReplayOfMoreFilesThanItKeepsOpenCarriesItsRecords(@TempDir Path dir) throws Exception {
        Path file = Files.copy(SAMPLE, dir.resolve("changing.ndjson"));
        String quiet = Files.readAllLines(SAMPLE).get(0); // a svchost start: no rule matches it
        List<Path> files = new ArrayList<>(List.of(file));
        for (int i = 1; i < SourceFiles.MAX_READ_BACK_FILES; i++) {
            files.add(Files.writeString(dir.resolve("quiet-" + i + ".ndjson"), quiet + "\n"));
        }
        // as many files as are read back from: positions, so the change fails the replay
        assertThatThrownBy(() -> replayRewritingAtFirstAlert(file, files))
                .hasStackTraceContaining("changed while the replay read it");
        // one more: every record is carried, so the change under the replay changes nothing it alerts on
        Files.copy(SAMPLE, file, StandardCopyOption.REPLACE_EXISTING);
        files.add(Files.writeString(dir.resolve("quiet-last.ndjson"), quiet + "\n"));
        assertThat(replayRewritingAtFirstAlert(file, files)).hasSize(8);
    }

    /**
     * A replay (parallelism 1) that, at its first alert, changes every line of {@code changing}, its length kept: the
     * first alert comes while the files are read, and before any correlation reads a record back (BATCH correlates
     * once every record is read).
     */
    private static List<String> replayRewritingAtFirstAlert(Path changing, List<Path> files) throws Exception {
        String text = Files.readString(changing);
        assertThat(text).contains("\"Level\":\"4\"");
        List<String> alerts = new ArrayList<>();
        Consumer<byte[]> rewriteAtFirstAlert = new Consumer<>() {
            private boolean rewritten;

            @Override
            public void accept(byte[] alert) {
                alerts.add(new String(alert, StandardCharsets.UTF_8));
                if (!rewritten) {
                    rewritten = true;
                    try {
                        Files.writeString(changing, text.replace("\"Level\":\"4\"", "\"Level\":\"5\""),
                                StandardCharsets.UTF_8);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        Replays.batch(JobSettings.builder().parallelism(1).build(), rules)
                .run(files, rewriteAtFirstAlert, Lines.into(new ArrayList<>()));
        return alerts;
    }
}
