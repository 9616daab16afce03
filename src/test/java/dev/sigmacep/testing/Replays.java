package dev.sigmacep.testing;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.Replay;
import org.apache.flink.api.common.RuntimeExecutionMode;

/** Replays as tests run them: on the test's mini cluster (or Flink's local execution), not an embedded one. */
public final class Replays {
    private Replays() {
    }

    /** A BATCH replay, as {@code bin/sigma-cep replay} runs by default. */
    public static Replay batch(JobSettings settings, RuleSet rules) {
        return inMode(settings, rules, RuntimeExecutionMode.BATCH);
    }

    public static Replay inMode(JobSettings settings, RuleSet rules, RuntimeExecutionMode mode) {
        return new Replay(settings, rules, mode, null);
    }
}
