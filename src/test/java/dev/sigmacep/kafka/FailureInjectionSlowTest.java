package dev.sigmacep.kafka;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FailureInjection} with more seeds and more data ({@code -Pslow}): 8 batches of 60 hosts per seed. */
@Tag("slow")
class FailureInjectionSlowTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static TestBroker broker;
    private static RuleSet rules;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
        rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void alertsAfterAFailureAtASeededRecordAreTheFailureFreeRunsExactlyOnce(long seed) throws Exception {
        FailureInjection.Outcome outcome = FailureInjection.check(broker, rules, "failure-slow-" + seed, seed, 8, 60);
        System.out.println("failure injection (slow): " + outcome);
        assertThat(outcome.alerts()).isEqualTo(8 * (30 * 6 + 30 * 3));
    }
}
