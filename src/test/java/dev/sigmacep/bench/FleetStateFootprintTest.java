package dev.sigmacep.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job's correlation state, read from its savepoints: 20,000 hosts, of which 2,000 hold a partial
 * {@code wer_masquerade_chain}, grow it by at least the records those chains hold; once the watermark has passed
 * every timespan it is back to what the same job holds with nothing in it (CEP's partial matches and buffered
 * records, the keyed windows, the state caps).
 */
class FleetStateFootprintTest {
    @Test
    void stateReturnsToNearZeroOnceTheTimespansHavePassed(@TempDir Path dir) throws Exception {
        FleetStateFootprint.Result result = FleetStateFootprint.measure(20_000, 2_000, dir);

        assertThat(result.alerts()).containsEntry("wer_masquerade_netconn", 2_000L).doesNotContainKey("wer_masquerade_chain");
        assertThat(result.late()).isZero();
        assertThat(result.stateHeld()).isGreaterThan(result.chainRecordBytes() / 2); // a start of each chain at least
        assertThat(result.stateAfter()).isLessThan(result.stateHeld() / 100).isLessThan(64 * 1024);
    }
}
