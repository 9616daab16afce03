package dev.sigmacep.job;

import dev.sigmacep.testing.HostileRecords.Kind;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-records suite at full size ({@code -Pslow}): 50,000 hostile records, ten of them 10 MB strings, in all
 * 10,136 JSON Lines records of the shared Security-Datasets telemetry.
 */
@Tag("slow")
class HostileRecordsSlowTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void fiftyThousandHostileRecordsAreAccountedForAndTheRealAlertsStayTheSame(@TempDir Path dir) throws Exception {
        HostileRecordsSuite.Outcome outcome = HostileRecordsSuite.run(dir,
                HostileRecordsSuite.telemetry("data/telemetry/security-datasets"), 50_000, 10, 10 << 20);
        assertThat(outcome.written()).containsEntry(Kind.HUGE_STRING, 10);
        // the alerts on hostile hosts are checked by the suite (HostileRecordsSuite.checkHostileHostAlerts)
        assertThat(outcome.hostileHostAlerts().get("wer_noargs_start")).isGreaterThan(outcome.written().get(Kind.DUPLICATE_KEYS) / 2);
    }
}
