package dev.sigmacep.cli;

import dev.sigmacep.job.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sigma-cep}: replay telemetry, run the streaming job, validate and test rules. */
@Command(name = "sigma-cep", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Sigma detection and attack-chain correlation on Apache Flink CEP.",
        subcommands = {ReplayCommand.class, RunCommand.class, RulesCommand.class, GenerateCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        // quiet Flink's own logging unless the user configured log4j
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "sigma-cep-log4j2.properties");
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    Throwable problem = e instanceof java.io.UncheckedIOException ? e.getCause() : e;
                    if (problem instanceof java.nio.file.NoSuchFileException missing) {
                        cmd.getErr().println("sigma-cep: file not found: " + missing.getFile());
                        return 2;
                    }
                    if (problem instanceof IllegalArgumentException || problem instanceof java.io.IOException) {
                        cmd.getErr().println("sigma-cep: " + problem.getMessage());
                        return 2;
                    }
                    throw e;
                });
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.err);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[]{"sigma-cep " + (version == null ? "(development build)" : version)};
        }
    }
}
