package dev.sigmacep.job;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code sigma-cep run}, and the arguments of the cluster jar's main class ({@link StreamingJob#main}): one
 * definition for both, kept here rather than in {@code cli} because the job cannot depend on the command line.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the streaming job (Kafka in, Kafka out) as configured; on the local embedded Flink here,"
                + " or submit the cluster jar with `flink run -d` for a real cluster.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", required = true, description = "job configuration (jobs/*.yaml)")
    Path config;

    @Mixin
    RuleOptions ruleOptions;

    @Override
    public Integer call() throws Exception {
        JobSettings settings = JobSettings.load(config);
        StreamingJob.run(settings, ruleOptions.load(settings.rules(), settings.placeholders()));
        return 0;
    }
}
