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
        int bound = SourceFiles.MAX_READ_BACK_FILES;
        RecordReference[] records = new RecordReference[bound + 1];
        for (int i = 0; i <= bound; i++) {
            records[i] = write(dir.resolve(i + ".ndjson"), "{\"n\":" + i + "}");
        }
        try (RecordReadBack files = new RecordReadBack()) {
            for (int i = 0; i <= bound; i++) { // the last one opened closes file 0, the least recently read
                assertThat(new String(files.read(records[i]), StandardCharsets.UTF_8)).isEqualTo("{\"n\":" + i + "}");
            }
            // a file still open reads after it is deleted (its inode lives on); one closed must be opened again
            Files.delete(dir.resolve("1.ndjson"));
            assertThat(new String(files.read(records[1]), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            Files.delete(dir.resolve("0.ndjson"));
            assertThatThrownBy(() -> files.read(records[0])).isInstanceOf(IOException.class)
                    .hasMessageContaining("it can no longer be opened");
        }
    }

    private static RecordReference write(Path file, String record) throws IOException {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        return new RecordReference(SourceFiles.register(file.toString()), 0, bytes.length, RecordReference.crc32c(bytes));
    }
}
