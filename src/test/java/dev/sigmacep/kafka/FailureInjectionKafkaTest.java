package dev.sigmacep.kafka;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task fails once at a seeded random record and the job restarts from its last checkpoint: the committed alerts
 * are exactly the failure-free run's, none twice ({@link FailureInjection}). The seed is
 * {@code -Dsigmacep.failure.seed=S} (default 11); {@code FailureInjectionSlowTest} runs more seeds on more data.
 */
class FailureInjectionKafkaTest {
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

    @Test
    void alertsAfterAFailureAtASeededRecordAreTheFailureFreeRunsExactlyOnce() throws Exception {
        long seed = Long.getLong("sigmacep.failure.seed", 11L);
        FailureInjection.Outcome outcome = FailureInjection.check(broker, rules, "failure-" + seed, seed, 4, 20);
        System.out.println("failure injection: " + outcome);
        assertThat(outcome.alerts()).isEqualTo(4 * (10 * 6 + 10 * 3));
    }
}
