package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where rules come from, for every command that runs them: {@code --rules DIR...} (default: the job file's, else the
 * project's {@code rules/}) and {@code --placeholders FILE}.
 */
public final class RuleOptions {
    @Option(names = "--rules", paramLabel = "DIR", description = "Sigma rule files or directories (repeatable; default: the project's rules/)")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--placeholders", paramLabel = "FILE", description = "placeholder values for the expand modifier (YAML: name: [values])")
    Path placeholders;

    /** The project's own rules, next to bin/ (the launcher sets sigmacep.home) or in the working directory. */
    private static Path defaultRules() {
        return Path.of(System.getProperty("sigmacep.home", ".")).resolve("rules");
    }

    private List<Path> rulePaths(List<Path> fromConfig) {
        if (!rules.isEmpty()) {
            return rules;
        }
        if (!fromConfig.isEmpty()) {
            return fromConfig;
        }
        return List.of(defaultRules());
    }

    /** The rules and placeholders of the options, else of the job file ({@code placeholdersFromConfig} may be null). */
    public RuleSet load(List<Path> fromConfig, Path placeholdersFromConfig) throws IOException {
        return RuleSet.fromFiles(rulePaths(fromConfig), placeholders != null ? placeholders : placeholdersFromConfig);
    }
}
