package dev.sigmacep.cli;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.sigma.match.MatchContext;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where rules come from: {@code --rules DIR...} (default: the project's {@code rules/}) and placeholders. */
final class RuleOptions {
    @Option(names = "--rules", paramLabel = "DIR", description = "Sigma rule files or directories (repeatable; default: the project's rules/)")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--placeholders", paramLabel = "FILE", description = "placeholder values for the expand modifier (YAML: name: [values])")
    Path placeholders;

    /** The project's own rules, next to bin/ (the launcher sets sigmacep.home) or in the working directory. */
    static Path defaultRules() {
        return Path.of(System.getProperty("sigmacep.home", ".")).resolve("rules");
    }

    List<Path> rulePaths(List<String> fromConfig) {
        if (!rules.isEmpty()) {
            return rules;
        }
        if (!fromConfig.isEmpty()) {
            return fromConfig.stream().map(Path::of).toList();
        }
        return List.of(defaultRules());
    }

    RuleSet load(List<String> fromConfig, String placeholdersFromConfig) throws IOException {
        return RuleSet.fromFiles(rulePaths(fromConfig), placeholdersFile(placeholdersFromConfig));
    }

    MatchContext context(String placeholdersFromConfig) throws IOException {
        return RuleSet.placeholders(placeholdersFile(placeholdersFromConfig));
    }

    private Path placeholdersFile(String placeholdersFromConfig) {
        return placeholders != null ? placeholders
                : placeholdersFromConfig != null ? Path.of(placeholdersFromConfig) : null;
    }
}
