package dev.sigmacep.job;

import dev.sigmacep.yaml.Durations;
import dev.sigmacep.yaml.RejectedYamlException;
import dev.sigmacep.yaml.SafeYaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A job configuration ({@code jobs/*.yaml}), immutable, in the file's sections. Every setting has a default (the
 * {@link Builder}'s); a key set to null keeps it. Unknown keys are errors, so a typo never silently falls back to a
 * default. Command-line options override the file ({@link #toBuilder()}).
 * <p>
 * Relative file paths in the file (rules, placeholders, input paths, output files) are resolved against the
 * file's own directory, never against the working directory of whoever submits the job: the same file then works
 * from any shell, from {@code flink run} as from {@code bin/sigma-cep}. Paths on the command line stay relative to
 * the working directory, as a shell user expects.
 *
 * @param rules        Sigma rule files or directories
 * @param placeholders values for the {@code expand} modifier; null: none
 */
public record JobSettings(List<Path> rules, Path placeholders, int parallelism, EventTime eventTime, Input input,
                          Output output, Kafka kafka, Checkpoint checkpoint, RuleUpdates ruleUpdates,
                          CorrelationState correlationState) {

    public JobSettings {
        rules = List.copyOf(rules);
        requirePositive(parallelism, "parallelism");
        Objects.requireNonNull(eventTime);
        Objects.requireNonNull(input);
        Objects.requireNonNull(output);
        Objects.requireNonNull(kafka);
        Objects.requireNonNull(checkpoint);
        Objects.requireNonNull(ruleUpdates);
        Objects.requireNonNull(correlationState);
    }

    /**
     * {@code event-time}: the watermarks of every source partition or file.
     *
     * @param maxFuture how far ahead of the wall clock a streaming job accepts an event's time; a later one is a dead
     *                  letter and does not move the watermark ({@link FutureEvents})
     */
    public record EventTime(Duration maxOutOfOrderness, Duration idleTimeout, Duration maxFuture) {
    }

    /** {@code input}: files to replay when the command line names none, and the largest record decoded. */
    public record Input(List<Path> paths, int maxRecordChars) {
        public Input {
            paths = List.copyOf(paths);
            requirePositive(maxRecordChars, "input.max-record-chars");
        }
    }

    /**
     * {@code output} of a replay.
     *
     * @param alerts     NDJSON file; null: stdout
     * @param deadLetter NDJSON file of dead letters and late events; null: counted only
     */
    public record Output(Path alerts, Path deadLetter) {
    }

    /** {@code kafka}: the streaming job's topics and clients ({@code run}). */
    public record Kafka(String bootstrapServers, List<String> inputTopics, String groupId,
                        StartingOffsets startingOffsets, String alertsTopic, String deadLetterTopic,
                        DeliveryGuarantee deliveryGuarantee, String transactionalIdPrefix, Duration transactionTimeout,
                        Map<String, String> properties) {
        public Kafka {
            inputTopics = List.copyOf(inputTopics);
            properties = Map.copyOf(properties);
        }
    }

    /** {@code kafka.starting-offsets}: where the source starts reading. */
    public enum StartingOffsets {
        /** the group's committed offsets, else the earliest */
        COMMITTED,
        EARLIEST,
        LATEST
    }

    /** {@code kafka.delivery-guarantee} of the alert and dead-letter sinks. */
    public enum DeliveryGuarantee {
        /** transactions committed on each checkpoint */
        EXACTLY_ONCE,
        AT_LEAST_ONCE
    }

    /**
     * {@code checkpoint} of the streaming job.
     *
     * @param dir a Flink file system URI, used as written; null: the cluster's default
     */
    public record Checkpoint(Duration interval, String dir) {
    }

    /**
     * {@code rule-updates}: detection rules changed while the streaming job runs (neither source set: rules fixed at
     * submission).
     *
     * @param directory    rule files written here (new files; a changed rule is a new file) are updates; null: none
     * @param pollInterval how often the directory is listed
     * @param kafkaTopic   a topic whose records each hold a rule file's text (one partition); null: none
     * @param statusTopic  where what became of each update goes; null: the job's log only
     */
    public record RuleUpdates(Path directory, Duration pollInterval, String kafkaTopic, String statusTopic) {
        public boolean enabled() {
            return directory != null || kafkaTopic != null;
        }
    }

    /**
     * {@code correlation-state}: the caps on what each correlation keeps ({@code correlate.StateCap}); an input over
     * one does not enter the correlation and leaves as an {@code over-cap} record with its reason.
     *
     * @param maxInputsPerGroup inputs of one group that enter per timespan (its budget span opens with its first)
     * @param maxGroups         groups holding state per subtask of each correlation
     */
    public record CorrelationState(int maxInputsPerGroup, int maxGroups) {
        public CorrelationState {
            requirePositive(maxInputsPerGroup, "correlation-state.max-inputs-per-group");
            requirePositive(maxGroups, "correlation-state.max-groups");
        }
    }

    public static JobSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to override some of them. */
    public Builder toBuilder() {
        return builder().rules(rules).placeholders(placeholders).parallelism(parallelism)
                .maxOutOfOrderness(eventTime.maxOutOfOrderness()).idleTimeout(eventTime.idleTimeout())
                .maxFuture(eventTime.maxFuture())
                .inputPaths(input.paths()).maxRecordChars(input.maxRecordChars())
                .alertsFile(output.alerts()).deadLetterFile(output.deadLetter())
                .bootstrapServers(kafka.bootstrapServers()).inputTopics(kafka.inputTopics()).groupId(kafka.groupId())
                .startingOffsets(kafka.startingOffsets()).alertsTopic(kafka.alertsTopic())
                .deadLetterTopic(kafka.deadLetterTopic()).deliveryGuarantee(kafka.deliveryGuarantee())
                .transactionalIdPrefix(kafka.transactionalIdPrefix()).transactionTimeout(kafka.transactionTimeout())
                .kafkaProperties(kafka.properties())
                .checkpointInterval(checkpoint.interval()).checkpointDir(checkpoint.dir())
                .ruleUpdatesDirectory(ruleUpdates.directory()).ruleUpdatesPollInterval(ruleUpdates.pollInterval())
                .ruleUpdatesTopic(ruleUpdates.kafkaTopic()).ruleStatusTopic(ruleUpdates.statusTopic())
                .maxInputsPerGroup(correlationState.maxInputsPerGroup()).maxGroups(correlationState.maxGroups());
    }

    /** Settings one by one, each named as its key in the file; starts from the defaults. */
    public static final class Builder {
        private List<Path> rules = List.of();
        private Path placeholders;
        private int parallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Duration maxOutOfOrderness = Duration.ofMinutes(2);
        private Duration idleTimeout = Duration.ofMinutes(1);
        // hosts' clocks drift by seconds to minutes, an hour is far beyond that; a forged time within the bound still
        // makes its partition's real events late until the wall clock catches up with it, so no more than an hour
        private Duration maxFuture = Duration.ofHours(1);
        private List<Path> inputPaths = List.of();
        private int maxRecordChars = 1 << 20;
        private Path alertsFile;
        private Path deadLetterFile;
        private String bootstrapServers = "localhost:9092";
        private List<String> inputTopics = List.of("sysmon");
        private String groupId = "sigma-cep";
        private StartingOffsets startingOffsets = StartingOffsets.COMMITTED;
        private String alertsTopic = "sigma-cep-alerts";
        private String deadLetterTopic = "sigma-cep-dead-letters";
        private DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
        private String transactionalIdPrefix = "sigma-cep";
        private Duration transactionTimeout = Duration.ofMinutes(10);
        private Map<String, String> kafkaProperties = Map.of();
        private Duration checkpointInterval = Duration.ofSeconds(30);
        private String checkpointDir;
        private Path ruleUpdatesDirectory;
        private Duration ruleUpdatesPollInterval = Duration.ofSeconds(10);
        private String ruleUpdatesTopic;
        private String ruleStatusTopic;
        // a host's chain sees a few inputs per timespan; a thousand is a flood, whose every input CEP would buffer
        // and every start of which would be one more partial match for each later input to visit
        private int maxInputsPerGroup = 1_000;
        // at about 6 KB of heap per open chain (docs/benchmarks.md), 250,000 groups are ~1.5 GB per subtask
        private int maxGroups = 250_000;

        private Builder() {
        }

        public Builder rules(List<Path> value) { rules = value; return this; }
        public Builder placeholders(Path value) { placeholders = value; return this; }
        public Builder parallelism(int value) { parallelism = value; return this; }
        public Builder maxOutOfOrderness(Duration value) { maxOutOfOrderness = value; return this; }
        public Builder idleTimeout(Duration value) { idleTimeout = value; return this; }
        public Builder maxFuture(Duration value) { maxFuture = value; return this; }
        public Builder inputPaths(List<Path> value) { inputPaths = value; return this; }
        public Builder maxRecordChars(int value) { maxRecordChars = value; return this; }
        public Builder alertsFile(Path value) { alertsFile = value; return this; }
        public Builder deadLetterFile(Path value) { deadLetterFile = value; return this; }
        public Builder bootstrapServers(String value) { bootstrapServers = value; return this; }
        public Builder inputTopics(List<String> value) { inputTopics = value; return this; }
        public Builder groupId(String value) { groupId = value; return this; }
        public Builder startingOffsets(StartingOffsets value) { startingOffsets = value; return this; }
        public Builder alertsTopic(String value) { alertsTopic = value; return this; }
        public Builder deadLetterTopic(String value) { deadLetterTopic = value; return this; }
        public Builder deliveryGuarantee(DeliveryGuarantee value) { deliveryGuarantee = value; return this; }
        public Builder transactionalIdPrefix(String value) { transactionalIdPrefix = value; return this; }
        public Builder transactionTimeout(Duration value) { transactionTimeout = value; return this; }
        public Builder kafkaProperties(Map<String, String> value) { kafkaProperties = value; return this; }
        public Builder checkpointInterval(Duration value) { checkpointInterval = value; return this; }
        public Builder checkpointDir(String value) { checkpointDir = value; return this; }
        public Builder ruleUpdatesDirectory(Path value) { ruleUpdatesDirectory = value; return this; }
        public Builder ruleUpdatesPollInterval(Duration value) { ruleUpdatesPollInterval = value; return this; }
        public Builder ruleUpdatesTopic(String value) { ruleUpdatesTopic = value; return this; }
        public Builder ruleStatusTopic(String value) { ruleStatusTopic = value; return this; }
        public Builder maxInputsPerGroup(int value) { maxInputsPerGroup = value; return this; }
        public Builder maxGroups(int value) { maxGroups = value; return this; }

        /** @throws IllegalArgumentException naming a setting out of its range */
        public JobSettings build() {
            return new JobSettings(rules, placeholders, parallelism,
                    new EventTime(maxOutOfOrderness, idleTimeout, maxFuture),
                    new Input(inputPaths, maxRecordChars),
                    new Output(alertsFile, deadLetterFile),
                    new Kafka(bootstrapServers, inputTopics, groupId, startingOffsets, alertsTopic, deadLetterTopic,
                            deliveryGuarantee, transactionalIdPrefix, transactionTimeout, kafkaProperties),
                    new Checkpoint(checkpointInterval, checkpointDir),
                    new RuleUpdates(ruleUpdatesDirectory, ruleUpdatesPollInterval, ruleUpdatesTopic, ruleStatusTopic),
                    new CorrelationState(maxInputsPerGroup, maxGroups));
        }
    }

    /**
     * Reads a job file; an empty one holds the defaults.
     *
     * @throws IllegalArgumentException naming the file and the setting: not YAML, an unknown key, a bad value
     */
    public static JobSettings load(Path file) throws IOException {
        String text = Files.readString(file);
        try {
            Object root = SafeYaml.loadOne(text);
            return root == null ? defaults() : read(new Section("", root), file.toAbsolutePath().getParent());
        } catch (RejectedYamlException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** @param base the job file's directory, which relative paths in it are resolved against */
    private static JobSettings read(Section root, Path base) {
        Builder settings = builder();
        root.allowOnly("rules", "placeholders", "parallelism", "event-time", "input", "output", "kafka", "checkpoint",
                "rule-updates", "correlation-state");
        root.paths("rules", base).ifPresent(settings::rules);
        root.path("placeholders", base).ifPresent(settings::placeholders);
        root.positive("parallelism").ifPresent(settings::parallelism);

        Section time = root.section("event-time", "max-out-of-orderness", "idle-timeout", "max-future");
        time.duration("max-out-of-orderness").ifPresent(settings::maxOutOfOrderness);
        time.positiveDuration("idle-timeout").ifPresent(settings::idleTimeout);
        time.positiveDuration("max-future").ifPresent(settings::maxFuture);

        Section input = root.section("input", "paths", "max-record-chars");
        input.paths("paths", base).ifPresent(settings::inputPaths);
        input.positive("max-record-chars").ifPresent(settings::maxRecordChars);

        Section output = root.section("output", "alerts", "dead-letter");
        output.path("alerts", base).ifPresent(settings::alertsFile);
        output.path("dead-letter", base).ifPresent(settings::deadLetterFile);

        Section kafka = root.section("kafka", "bootstrap-servers", "input-topics", "group-id", "starting-offsets",
                "alerts-topic", "dead-letter-topic", "delivery-guarantee", "transactional-id-prefix",
                "transaction-timeout", "properties");
        kafka.string("bootstrap-servers").ifPresent(settings::bootstrapServers);
        kafka.strings("input-topics").ifPresent(settings::inputTopics);
        kafka.string("group-id").ifPresent(settings::groupId);
        kafka.choice("starting-offsets", StartingOffsets.class).ifPresent(settings::startingOffsets);
        kafka.string("alerts-topic").ifPresent(settings::alertsTopic);
        kafka.string("dead-letter-topic").ifPresent(settings::deadLetterTopic);
        kafka.choice("delivery-guarantee", DeliveryGuarantee.class).ifPresent(settings::deliveryGuarantee);
        kafka.string("transactional-id-prefix").ifPresent(settings::transactionalIdPrefix);
        kafka.positiveDuration("transaction-timeout").ifPresent(settings::transactionTimeout);
        kafka.stringMap("properties").ifPresent(settings::kafkaProperties);

        Section checkpoint = root.section("checkpoint", "interval", "dir");
        checkpoint.positiveDuration("interval").ifPresent(settings::checkpointInterval);
        checkpoint.string("dir").ifPresent(settings::checkpointDir);

        Section updates = root.section("rule-updates", "directory", "poll-interval", "kafka-topic", "status-topic");
        updates.path("directory", base).ifPresent(settings::ruleUpdatesDirectory);
        updates.positiveDuration("poll-interval").ifPresent(settings::ruleUpdatesPollInterval);
        updates.string("kafka-topic").ifPresent(settings::ruleUpdatesTopic);
        updates.string("status-topic").ifPresent(settings::ruleStatusTopic);

        Section caps = root.section("correlation-state", "max-inputs-per-group", "max-groups");
        caps.positive("max-inputs-per-group").ifPresent(settings::maxInputsPerGroup);
        caps.positive("max-groups").ifPresent(settings::maxGroups);
        return settings.build();
    }

    private static void requirePositive(int value, String setting) {
        if (value <= 0) {
            throw new IllegalArgumentException(setting + " must be a positive integer, got '" + value + "'");
        }
    }

    /** How a file writes a choice: {@code EXACTLY_ONCE} is {@code exactly-once}. */
    private static String spelling(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A map of the file, its values read by key; a missing key or a null value is empty. */
    private static final class Section {
        private final String prefix;
        private final Map<String, Object> values;

        /** @param name the section's key, "" for the file itself */
        Section(String name, Object value) {
            this.prefix = name.isEmpty() ? "" : name + ".";
            if (!(value instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException((name.isEmpty() ? "the file" : name) + " must be a map");
            }
            this.values = new LinkedHashMap<>();
            map.forEach((key, v) -> values.put((String) key, v)); // SafeYaml makes every key a String
        }

        void allowOnly(String... keys) {
            Set<String> unknown = new TreeSet<>(values.keySet());
            Arrays.asList(keys).forEach(unknown::remove);
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("unknown setting " + prefix + unknown.iterator().next()
                        + " (known: " + String.join(", ", new TreeSet<>(Arrays.asList(keys))) + ")");
            }
        }

        /** The section under {@code key}, which may hold only {@code keys}; empty when absent. */
        Section section(String key, String... keys) {
            Object value = values.get(key);
            Section section = new Section(prefix + key, value == null ? Map.of() : value);
            section.allowOnly(keys);
            return section;
        }

        private <T> Optional<T> value(String key, Function<Object, T> read) {
            Object value = values.get(key);
            return value == null ? Optional.empty() : Optional.of(read.apply(value));
        }

        Optional<String> string(String key) {
            return value(key, String::valueOf);
        }

        /** A list of strings, or one string as a list of one. */
        Optional<List<String>> strings(String key) {
            return value(key, value -> {
                if (value instanceof List<?> list) {
                    return list.stream().map(String::valueOf).toList();
                }
                if (value instanceof String s) {
                    return List.of(s);
                }
                throw new IllegalArgumentException(prefix + key + " must be a list of strings");
            });
        }

        Optional<Path> path(String key, Path base) {
            return string(key).map(base::resolve);
        }

        Optional<List<Path>> paths(String key, Path base) {
            return strings(key).map(list -> list.stream().map(base::resolve).toList());
        }

        Optional<Integer> positive(String key) {
            return value(key, value -> {
                if (value instanceof Integer n && n > 0) {
                    return n;
                }
                throw new IllegalArgumentException(prefix + key + " must be a positive integer, got '" + value + "'");
            });
        }

        Optional<Duration> duration(String key) {
            return value(key, value -> Durations.parse(String.valueOf(value), prefix + key));
        }

        Optional<Duration> positiveDuration(String key) {
            return value(key, value -> Durations.parsePositive(String.valueOf(value), prefix + key));
        }

        /** One of the enum's constants, spelt as the file writes it, in any case. */
        <E extends Enum<E>> Optional<E> choice(String key, Class<E> type) {
            return value(key, value -> {
                for (E option : type.getEnumConstants()) {
                    if (spelling(option).equalsIgnoreCase(String.valueOf(value))) {
                        return option;
                    }
                }
                String options = Arrays.stream(type.getEnumConstants()).map(JobSettings::spelling)
                        .collect(Collectors.joining(", "));
                throw new IllegalArgumentException(prefix + key + " must be one of " + options + ", got '" + value + "'");
            });
        }

        Optional<Map<String, String>> stringMap(String key) {
            return value(key, value -> {
                Map<String, String> strings = new LinkedHashMap<>();
                new Section(prefix + key, value).values.forEach((k, v) -> strings.put(k, String.valueOf(v)));
                return strings;
            });
        }
    }
}
