package dev.sigmacep.testing;

import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.runtime.metrics.filter.ReporterFilter;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.runtime.metrics.groups.FrontMetricGroup;
import org.apache.flink.runtime.metrics.groups.ReporterScopedSettings;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics of a job as Prometheus scrapes them: the metrics a mini cluster's {@link InMemoryReporter} kept (also
 * of finished tasks) handed to Flink's own Prometheus reporter, configured as deploy/ configures it, and read back
 * from its HTTP endpoint. So names and labels are the reporter's, not a guess of them.
 */
public final class PrometheusScrape {
    /** One line of the exposition: {@code name{label="value",...} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** the settings of the mini cluster's only reporter (index 0), which scope strings are cached for */
    private static final ReporterScopedSettings<Metric> SETTINGS =
            new ReporterScopedSettings<>(0, '.', ReporterFilter.getNoOpFilter(), Set.of(), Map.of());

    private final List<Sample> samples;

    private PrometheusScrape(List<Sample> samples) {
        this.samples = samples;
    }

    /** The job ids of the metrics the reporter holds so far. */
    public static Set<String> jobIds(InMemoryReporter reporter) {
        Set<String> ids = new HashSet<>();
        for (MetricGroup group : reporter.getMetricsByGroup().keySet()) {
            String id = group.getAllVariables().get("<job_id>");
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Scrapes the metrics of the jobs not in {@code earlierJobs} (operator, task and job metrics). */
    public static PrometheusScrape of(InMemoryReporter reporter, Set<String> earlierJobs) throws Exception {
        MetricConfig config = new MetricConfig(); // what Flink passes a reporter factory
        config.setProperty("port", String.valueOf(freePort()));
        config.setProperty("filterLabelValueCharacters", "false"); // as deploy/ sets it: rule ids keep their '-'
        MetricReporter prometheus = new PrometheusReporterFactory().createMetricReporter(config);
        prometheus.open(config);
        try {
            for (Map.Entry<MetricGroup, Map<String, Metric>> group : reporter.getMetricsByGroup().entrySet()) {
                String job = group.getKey().getAllVariables().get("<job_id>");
                if (job == null || earlierJobs.contains(job)) {
                    continue;
                }
                // as the metric registry hands groups to a reporter (the in-memory one keeps them unwrapped)
                FrontMetricGroup<?> front = new FrontMetricGroup<>(SETTINGS, (AbstractMetricGroup<?>) group.getKey());
                group.getValue().forEach((name, metric) -> prometheus.notifyOfAddedMetric(metric, name, front));
            }
            String text = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.getProperty("port") + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return new PrometheusScrape(parse(text));
        } finally {
            prometheus.close();
        }
    }

    private static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (line.startsWith("#") || !matcher.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (matcher.group(2) != null) {
                Matcher label = LABEL.matcher(matcher.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(3))));
        }
        return samples;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public List<Sample> samples(String name) {
        return samples.stream().filter(sample -> sample.name().equals(name)).toList();
    }

    /** The sum of a metric over its subtasks (and operators), per value of {@code label}. */
    public Map<String, Long> sumBy(String name, String label) {
        Map<String, Long> sums = new java.util.TreeMap<>();
        for (Sample sample : samples(name)) {
            sums.merge(sample.labels().get(label), (long) sample.value(), Long::sum);
        }
        return sums;
    }

    /** The sum of a metric over its subtasks (and operators). */
    public long sum(String name) {
        return (long) samples(name).stream().mapToDouble(Sample::value).sum();
    }
}
