package dev.sigmacep.correlate;

import dev.sigmacep.event.SourceFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records read back by position, with a bound on the files held open. */
class RecordReadBackTest {

    @Test
    void keepsAtMostItsBoundOfFilesOpenClosingTheLeastRecentlyRead(@TempDir Path dir) throws IOException {
        RecordReference a = write(dir.resolve("a.ndjson"), "{\"a\":1}");
        RecordReference b = write(dir.resolve("b.ndjson"), "{\"b\":2}");
        RecordReference c = write(dir.resolve("c.ndjson"), "{\"c\":3}");
        try (RecordReadBack files = new RecordReadBack(2)) {
            assertThat(new String(files.read(a), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
            assertThat(new String(files.read(b), StandardCharsets.UTF_8)).isEqualTo("{\"b\":2}");
            assertThat(new String(files.read(c), StandardCharsets.UTF_8)).isEqualTo("{\"c\":3}"); // a is closed
            // a file still open reads after it is deleted (its inode lives on); one closed must be opened again
            Files.delete(dir.resolve("b.ndjson"));
            assertThat(new String(files.read(b), StandardCharsets.UTF_8)).isEqualTo("{\"b\":2}");
            Files.delete(dir.resolve("a.ndjson"));
            assertThatThrownBy(() -> files.read(a)).isInstanceOf(IOException.class)
                    .hasMessageContaining("it can no longer be opened");
        }
    }

    private static RecordReference write(Path file, String record) throws IOException {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        return new RecordReference(SourceFiles.register(file.toString()), 0, bytes.length, RecordReference.crc32c(bytes));
    }
}
