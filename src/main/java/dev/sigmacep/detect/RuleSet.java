package dev.sigmacep.detect;

import dev.sigmacep.sigma.RuleLoader;
import dev.sigmacep.sigma.RuleSource;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.match.MatchContext;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * The rules in files or directories, with placeholder values for {@code expand} from a pySigma-style file
     * (null: none).
     *
     * @throws IllegalArgumentException naming a missing path, a pack without rule files, or bad placeholders
     */
    public static RuleSet fromFiles(List<Path> paths, Path placeholders) throws IOException {
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("rules not found: " + path);
            }
        }
        List<RuleSource> sources = RuleLoader.readSources(paths);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no Sigma rule files (*.yml, *.yaml) in " + paths);
        }
        return new RuleSet(sources, placeholders(placeholders));
    }

    /** Placeholder values from a pySigma-style file; no values when {@code file} is null. */
    public static MatchContext placeholders(Path file) throws IOException {
        if (file == null) {
            return MatchContext.empty();
        }
        try {
            return RuleLoader.placeholdersFromYaml(file);
        } catch (SigmaRuleException e) {
            throw new IllegalArgumentException("placeholders " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads and compiles the rules on first use (per JVM copy of this object). */
    public synchronized DetectionModel model() {
        if (model == null) {
            model = DetectionModel.build(sources, context);
        }
        return model;
    }
}
