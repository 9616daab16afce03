package dev.sigmacep.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigmacep.detect.DetectionModel;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.job.InputFiles;
import dev.sigmacep.job.RuleOptions;
import dev.sigmacep.job.TelemetryStreams;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.route.CompiledRulePack;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RuleLabels;
import dev.sigmacep.sigma.rule.SigmaRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "rules", mixinStandardHelpOptions = true, description = "Validate and test Sigma rules without Flink.",
        subcommands = {RulesCommand.Validate.class, RulesCommand.Test.class})
final class RulesCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.err);
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Loads every rule; prints each rejected rule (path, id, reason) and the counts.",
                    "Exit 0 when every rule loaded, 1 otherwise."})
    static final class Validate implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", arity = "1..*", description = "rule files or directories")
        List<Path> paths;

        @Option(names = "--placeholders", paramLabel = "FILE", description = "placeholder values for the expand modifier")
        Path placeholders;

        @Option(names = "--json", description = "print {\"loaded\":N,\"rejected\":[{\"path\",\"id\",\"reason\"}]}")
        boolean json;

        @Override
        public Integer call() throws Exception {
            RuleLoader.SourceSet sources = RuleLoader.read(paths);
            DetectionModel model = DetectionModel.build(sources.sources(), RuleSet.placeholders(placeholders));
            List<RuleError> rejected = new ArrayList<>(sources.errors());
            rejected.addAll(model.errors());
            // a correlation that parsed but cannot run (unsupported type, missing rule) counts as rejected
            int loaded = model.pack().rules().size() + model.plans().size();
            if (json) {
                ObjectNode out = JSON.createObjectNode();
                out.put("loaded", loaded);
                ArrayNode list = out.putArray("rejected");
                for (RuleError error : rejected) {
                    list.addObject().put("path", error.path()).put("id", error.id()).put("reason", error.reason());
                }
                System.out.println(out);
            } else {
                for (RuleError error : rejected) {
                    System.out.printf("%s: %s: %s%n", error.path(), error.id() == null ? "-" : error.id(), error.reason());
                }
                CompiledRulePack compiled = model.compiled();
                if (!sources.skipped().isEmpty()) {
                    System.out.printf("%,d files skipped (not *.yml / *.yaml), e.g. %s%n", sources.skipped().size(),
                            sources.skipped().get(0));
                }
                System.out.printf("%,d rules loaded (%,d detection, %,d correlation), %,d rejected; %,d detection rules"
                                + " have a logsource no Windows event routes to%n",
                        loaded, model.pack().rules().size(), model.plans().size(), rejected.size(),
                        compiled.unroutedRules().size());
            }
            return rejected.isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Evaluates the rules on event records and prints, per rule, how many events it matched.")
    static final class Test implements Callable<Integer> {
        @Mixin
        RuleOptions ruleOptions;

        @Option(names = "--events", paramLabel = "PATH", arity = "1..*", required = true,
                description = "event files or directories (.json .ndjson .jsonl .gz .zip)")
        List<Path> events;

        @Option(names = "--json", description = "print {\"events\":N,\"dead_letters\":N,\"matches\":{\"<rule id>\":N}}")
        boolean json;

        @Override
        public Integer call() throws Exception {
            DetectionModel model = ruleOptions.load(List.of(), null).model();
            CompiledRulePack compiled = model.compiled();
            long[] matches = new long[compiled.size()];
            long[] counts = new long[2]; // events, dead letters
            for (Path file : InputFiles.expand(events)) {
                try {
                    TelemetryStreams.decode(file, 1 << 20, result -> {
                        if (result.event() == null) {
                            counts[1]++;
                        } else {
                            counts[0]++;
                            compiled.match(result.event(), rule -> matches[rule]++);
                        }
                    });
                } catch (IOException e) {
                    counts[1]++;
                    System.err.printf("sigma-cep: %s is unreadable after its first records: %s%n", file, e.getMessage());
                }
            }
            long decoded = counts[0];
            long dead = counts[1];
            Map<String, Long> byRule = new TreeMap<>();
            for (int i = 0; i < matches.length; i++) {
                if (matches[i] > 0) {
                    SigmaRule rule = compiled.rule(i);
                    byRule.put(RuleLabels.key(rule.id(), rule.name(), rule.path()), matches[i]);
                }
            }
            if (json) {
                ObjectNode out = JSON.createObjectNode();
                out.put("events", decoded);
                out.put("dead_letters", dead);
                ObjectNode m = out.putObject("matches");
                byRule.forEach(m::put);
                System.out.println(out);
            } else {
                System.out.printf("%,d events, %,d dead letters, %,d rules matched%n", decoded, dead, byRule.size());
                for (int i = 0; i < matches.length; i++) {
                    if (matches[i] > 0) {
                        SigmaRule rule = compiled.rule(i);
                        System.out.printf("%10d  %s  %s%n", matches[i], rule.id(), rule.title());
                    }
                }
            }
            return 0;
        }
    }
}
