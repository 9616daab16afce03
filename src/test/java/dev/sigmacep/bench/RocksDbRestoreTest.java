package dev.sigmacep.bench;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job on the RocksDB state backend, as {@code deploy/} configures it: stopped with a savepoint in RocksDB's
 * native format (its table files) in the middle of 300 hosts' chains (partial matches, buffered records, windows and caps in RocksDB), restored into a new job that
 * reads the rest, it gives exactly the alerts of one uninterrupted run on the heap backend.
 */
class RocksDbRestoreTest {
    @Test
    void restoredFromASavepointItGivesTheHashmapBackendsAlerts(@TempDir Path dir) throws Exception {
        Configuration hashmap = new Configuration();
        hashmap.setString("state.backend.type", "hashmap");
        List<String> expected = FleetStateFootprint.alerts(2_000, 300, hashmap, null, dir.resolve("hashmap"));

        Configuration rocksdb = new Configuration();
        rocksdb.setString("state.backend.type", "rocksdb"); // a backend that cannot load fails the job
        rocksdb.setString("state.backend.rocksdb.localdir", dir.resolve("rocksdb-local").toString());
        // a savepoint after half the records: starts and connections of many chains, their child shells after it
        List<String> restored = FleetStateFootprint.alerts(2_000, 300, rocksdb, 1_200, dir.resolve("rocksdb"));

        assertThat(expected).filteredOn(json -> json.contains("\"wer_masquerade_chain\"")).hasSize(300);
        assertThat(restored).containsExactlyInAnyOrderElementsOf(expected);
        try (var files = Files.walk(dir.resolve("rocksdb").resolve("savepoints"))) {
            assertThat(files.filter(Files::isRegularFile)).anyMatch(RocksDbRestoreTest::isSstFile); // RocksDB held it
        }
    }

    /** A RocksDB table file ends with its block-based table magic number, 0x88e241b785f4cff7, little-endian. */
    private static boolean isSstFile(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            byte[] magic = {(byte) 0xf7, (byte) 0xcf, (byte) 0xf4, (byte) 0x85, (byte) 0xb7, 0x41, (byte) 0xe2, (byte) 0x88};
            return bytes.length >= 8 && Arrays.equals(bytes, bytes.length - 8, bytes.length, magic, 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
