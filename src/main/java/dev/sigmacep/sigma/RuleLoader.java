package dev.sigmacep.sigma;

import dev.sigmacep.sigma.match.MatchContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Loads Sigma rule files (one or several YAML documents each) into rules, correlations and per-rule errors. */
public final class RuleLoader {
    private final MatchContext context;

    public RuleLoader(MatchContext context) {
        this.context = context;
    }

    /** Reads every *.yml / *.yaml under the given files or directories (recursively), sorted by path. */
    public static List<RuleSource> readSources(List<Path> paths) throws IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Loads every rule in the sources; never throws for a bad rule, which becomes a RuleError instead. */
    public RulePack load(List<RuleSource> sources) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
