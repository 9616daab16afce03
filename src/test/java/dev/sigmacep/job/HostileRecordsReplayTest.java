package dev.sigmacep.job;

import dev.sigmacep.testing.HostileRecords.Kind;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The hostile-records suite at its default size: 10,000 hostile records (one of 10 MB) in 9,144 real ones. */
class HostileRecordsReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void everyHostileRecordIsAccountedForAndTheRealAlertsStayTheSame(@TempDir Path dir) throws Exception {
        HostileRecordsSuite.Outcome outcome = HostileRecordsSuite.run(dir,
                HostileRecordsSuite.telemetry("data/telemetry/security-datasets/sysmon_eid1_eid3_only"), 10_000, 1, 10 << 20);
        assertThat(outcome.written()).containsEntry(Kind.HUGE_STRING, 1);
        // the alerts on the hostile records' own hosts, as this seed gives them (HostileRecordsSuite says why each)
        assertThat(outcome.hostileHostAlerts()).isEqualTo(Map.of("wer_noargs_start", 432,
                "Suspicious Execution Location Of Wermgr.EXE", 99, "Execution Of Non-Existing File", 666,
                "Potential Homoglyph Attack Using Lookalike Characters", 329,
                "Execution of Suspicious File Type Extension", 787));
    }
}
