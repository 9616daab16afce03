package dev.sigmacep.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Replay inputs through Flink's file systems ({@link InputFiles#expandUris}) give the files of the local listing. */
class InputFilesTest {

    @Test
    void flinkListingEqualsTheLocalOne(@TempDir Path dir) throws Exception {
        for (String name : new String[]{"b/2.ndjson", "b/1.json.gz", "a.jsonl", "c.zip", "notes.txt", "d/.hidden.ndjson",
                ".cache/x.ndjson", "e/f/g.json", "README.md"}) {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "{}\n");
        }
        List<Path> local = InputFiles.expand(List.of(dir, dir.resolve("a.jsonl")));
        // the directory as a file:// URI, the file named again as a local path: each file once
        List<Path> viaFlink = InputFiles.expandUris(List.of(dir.toUri().toString(), dir.resolve("a.jsonl").toString()))
                .stream().map(path -> Path.of(path.toUri())).toList();
        assertThat(local).hasSize(5);
        assertThat(viaFlink).isEqualTo(local);
        assertThat(viaFlink).extracting(file -> dir.relativize(file).toString())
                .containsExactly("a.jsonl", "b/1.json.gz", "b/2.ndjson", "c.zip", "e/f/g.json");
    }

    @Test
    void aMissingInputIsNamed() {
        assertThatThrownBy(() -> InputFiles.expandUris(List.of("file:///no/such/telemetry")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("input not found: file:///no/such/telemetry");
        assertThatThrownBy(() -> InputFiles.expandUris(List.of("no/such/telemetry")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("input not found: no/such/telemetry");
    }
}
