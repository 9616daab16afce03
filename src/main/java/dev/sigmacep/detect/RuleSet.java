package dev.sigmacep.detect;

import dev.sigmacep.sigma.RuleSource;
import dev.sigmacep.sigma.match.MatchContext;

import java.io.Serializable;
import java.util.List;

/**
 * The rules a job runs, as rule-file texts: what travels to the operators, which compile them in {@code open()}.
 * (Shipping text rather than compiled objects keeps the job graph small and lets rule updates arrive the same way.)
 */
public final class RuleSet implements Serializable {
    private final List<RuleSource> sources;
    private final MatchContext context;
    private transient DetectionModel model;

    public RuleSet(List<RuleSource> sources, MatchContext context) {
        this.sources = List.copyOf(sources);
        this.context = context;
    }

    /** Loads and compiles the rules on first use (per JVM copy of this object). */
    public synchronized DetectionModel model() {
        if (model == null) {
            model = DetectionModel.build(sources, context);
        }
        return model;
    }
}
