package dev.sigmacep.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The footprint measurement measures what it says: every host's partial chain is held at once (each completes into
 * an alert afterwards, so none was dropped or timed out), and the savepoint and the heap grow by at least the records
 * those chains hold, which Flink CEP keeps as read.
 */
class StateFootprintTest {
    @Test
    void holdsEveryPartialChainWhileMeasuring(@TempDir Path dir) throws Exception {
        // 4,000 hosts: the ~10 MB the chains hold stand clear of the heap's noise between two full GCs (a few MB)
        StateFootprint.Result result = StateFootprint.measure(4000, 2, dir);

        assertThat(result.alerts()).isEqualTo(4000);
        assertThat(result.recordBytes()).isGreaterThan(4000 * 2 * 1000L); // two records of over 1 KB a chain
        assertThat(result.savepointHeld() - result.savepointEmpty()).isGreaterThan(result.recordBytes());
        assertThat(result.heapHeld() - result.heapEmpty()).isGreaterThan(result.recordBytes());
    }
}
