package dev.sigmacep.job;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job configuration ({@code jobs/*.yaml}): every setting with its default. Unknown keys are errors, so a typo
 * never silently falls back to a default. Command-line options override the file.
 * <p>
 * Relative file paths in the file (rules, placeholders, input paths, output files) are resolved against the
 * file's own directory, never against the working directory of whoever submits the job: the same file then works
 * from any shell, from {@code flink run} as from {@code bin/sigma-cep}. Paths on the command line stay relative to
 * the working directory, as a shell user expects.
 */
public final class JobSettings {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    public List<String> rules = new ArrayList<>();
    public String placeholders;
    public int parallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
    public Duration maxOutOfOrderness = Duration.ofMinutes(2);
    public Duration idleTimeout = Duration.ofMinutes(1);
    public int maxRecordChars = 1 << 20;
    public List<String> inputPaths = new ArrayList<>();
    public String alertsFile;
    public String deadLetterFile;
    public Kafka kafka = new Kafka();
    public Duration checkpointInterval = Duration.ofSeconds(30);
    public String checkpointDir;

    /** Kafka settings of the streaming job ({@code run}). */
    public static final class Kafka {
        public String bootstrapServers = "localhost:9092";
        public List<String> inputTopics = new ArrayList<>(List.of("sysmon"));
        public String groupId = "sigma-cep";
        public String startingOffsets = "committed";
        public String alertsTopic = "sigma-cep-alerts";
        public String deadLetterTopic = "sigma-cep-dead-letters";
        public String deliveryGuarantee = "exactly-once";
        public String transactionalIdPrefix = "sigma-cep";
        public Duration transactionTimeout = Duration.ofMinutes(10);
        public Map<String, String> properties = new LinkedHashMap<>();
    }

    public static JobSettings defaults() {
        return new JobSettings();
    }

    public static JobSettings load(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        Object root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(options)).load(reader);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        JobSettings settings = new JobSettings();
        if (root == null) {
            return settings;
        }
        try {
            settings.apply(map(root, "the file"), file.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return settings;
    }

    /** @param base the job file's directory, which relative paths in it are resolved against */
    private void apply(Map<String, Object> root, Path base) {
        allowOnly(root, "", "rules", "placeholders", "parallelism", "event-time", "input", "output", "kafka",
                "checkpoint");
        if (root.containsKey("rules")) rules = paths(base, strings(root.get("rules"), "rules"));
        placeholders = path(base, string(root.get("placeholders"), placeholders));
        if (root.get("parallelism") != null) parallelism = positive(root.get("parallelism"), "parallelism");

        Map<String, Object> time = section(root, "event-time", "max-out-of-orderness", "idle-timeout");
        maxOutOfOrderness = duration(time.get("max-out-of-orderness"), maxOutOfOrderness, "event-time.max-out-of-orderness");
        idleTimeout = duration(time.get("idle-timeout"), idleTimeout, "event-time.idle-timeout");

        Map<String, Object> input = section(root, "input", "paths", "max-record-chars");
        if (input.containsKey("paths")) inputPaths = paths(base, strings(input.get("paths"), "input.paths"));
        if (input.get("max-record-chars") != null) maxRecordChars = positive(input.get("max-record-chars"), "input.max-record-chars");

        Map<String, Object> output = section(root, "output", "alerts", "dead-letter");
        alertsFile = path(base, string(output.get("alerts"), alertsFile));
        deadLetterFile = path(base, string(output.get("dead-letter"), deadLetterFile));

        Map<String, Object> k = section(root, "kafka", "bootstrap-servers", "input-topics", "group-id",
                "starting-offsets", "alerts-topic", "dead-letter-topic", "delivery-guarantee",
                "transactional-id-prefix", "transaction-timeout", "properties");
        kafka.bootstrapServers = string(k.get("bootstrap-servers"), kafka.bootstrapServers);
        if (k.containsKey("input-topics")) kafka.inputTopics = strings(k.get("input-topics"), "kafka.input-topics");
        kafka.groupId = string(k.get("group-id"), kafka.groupId);
        kafka.startingOffsets = oneOf(string(k.get("starting-offsets"), kafka.startingOffsets),
                "kafka.starting-offsets", "committed", "earliest", "latest");
        kafka.alertsTopic = string(k.get("alerts-topic"), kafka.alertsTopic);
        kafka.deadLetterTopic = string(k.get("dead-letter-topic"), kafka.deadLetterTopic);
        kafka.deliveryGuarantee = oneOf(string(k.get("delivery-guarantee"), kafka.deliveryGuarantee),
                "kafka.delivery-guarantee", "exactly-once", "at-least-once");
        kafka.transactionalIdPrefix = string(k.get("transactional-id-prefix"), kafka.transactionalIdPrefix);
        kafka.transactionTimeout = duration(k.get("transaction-timeout"), kafka.transactionTimeout, "kafka.transaction-timeout");
        if (k.get("properties") != null) {
            map(k.get("properties"), "kafka.properties").forEach((key, value) -> kafka.properties.put(key, String.valueOf(value)));
        }

        Map<String, Object> checkpoint = section(root, "checkpoint", "interval", "dir");
        checkpointInterval = duration(checkpoint.get("interval"), checkpointInterval, "checkpoint.interval");
        checkpointDir = string(checkpoint.get("dir"), checkpointDir);
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1d} — the same units as Sigma timespans. */
    public static Duration parseDuration(String text, String setting) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(setting + ": '" + text + "' is not a duration (e.g. 500ms, 30s, 2m, 1h, 1d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static Map<String, Object> section(Map<String, Object> root, String name, String... keys) {
        Object value = root.get(name);
        if (value == null) {
            return Map.of();
        }
        Map<String, Object> section = map(value, name);
        allowOnly(section, name + ".", keys);
        return section;
    }

    private static void allowOnly(Map<String, Object> map, String prefix, String... keys) {
        Set<String> unknown = new TreeSet<>(map.keySet());
        unknown.removeAll(Set.of(keys));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown setting " + prefix + unknown.iterator().next()
                    + " (known: " + String.join(", ", new TreeSet<>(Set.of(keys))) + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(what + " must be a map");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        ((Map<Object, Object>) value).forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    private static List<String> strings(Object value, String setting) {
        if (value == null) {
            return new ArrayList<>();
        }
        if (value instanceof List<?> list) {
            List<String> result = new ArrayList<>();
            list.forEach(item -> result.add(String.valueOf(item)));
            return result;
        }
        if (value instanceof String s) {
            return new ArrayList<>(List.of(s));
        }
        throw new IllegalArgumentException(setting + " must be a list of strings");
    }

    private static String string(Object value, String fallback) {
        return value == null ? fallback : String.valueOf(value);
    }

    private static List<String> paths(Path base, List<String> values) {
        List<String> resolved = new ArrayList<>(values.size());
        values.forEach(value -> resolved.add(path(base, value)));
        return resolved;
    }

    /** A path of the file as written, resolved against the file's directory (an absolute path stays as it is). */
    private static String path(Path base, String value) {
        return value == null ? null : base.resolve(value).toString();
    }

    private static int positive(Object value, String setting) {
        if (value instanceof Integer n && n > 0) {
            return n;
        }
        throw new IllegalArgumentException(setting + " must be a positive integer, got '" + value + "'");
    }

    private static Duration duration(Object value, Duration fallback, String setting) {
        return value == null ? fallback : parseDuration(String.valueOf(value), setting);
    }

    private static String oneOf(String value, String setting, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            throw new IllegalArgumentException(setting + " must be one of " + String.join(", ", allowed)
                    + ", got '" + value + "'");
        }
        return value;
    }
}
