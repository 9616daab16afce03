package dev.sigmacep.cli;

import dev.sigmacep.alert.AlertJson;
import dev.sigmacep.generate.RecordShape;
import dev.sigmacep.generate.TelemetryGenerator;
import dev.sigmacep.yaml.Durations;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Writes seeded fleet telemetry (flat Sysmon) with injected Windows Error Reporting masquerading"
                + " chains, and the chain alerts it expects.",
                "Every host gets a no-argument WER start and its outbound connection 5 s later; --chain-rate of them"
                        + " also spawn a child shell. The remaining events are background."})
final class GenerateCommand implements Callable<Integer> {
    /** The first event time when the records are not paced; a fixed instant keeps the output reproducible. */
    static final Instant DEFAULT_START = Instant.parse("2024-03-12T00:00:00Z");
    static final Duration DEFAULT_SPAN = Duration.ofHours(1);

    @Option(names = "--hosts", paramLabel = "N", required = true, description = "hosts, each with one chain")
    int hosts;

    @Option(names = "--events", paramLabel = "N", required = true,
            description = "records in all (at least 2 per host; the rest beyond the chains is background)")
    long events;

    @Option(names = "--chain-rate", paramLabel = "R", defaultValue = "0.1",
            description = "share of hosts whose WER process also spawns a child shell (default: 0.1)")
    double chainRate;

    @Option(names = "--disorder", paramLabel = "DURATION", defaultValue = "0s",
            description = "emit each record up to this long after its event time, shuffling the order (default: 0s)")
    String disorder;

    @Option(names = "--shape", paramLabel = "SHAPE", defaultValue = "sysmon-flat",
            description = "record shape, as the decoder names it: sysmon-flat (default), evtx-dump, winlogbeat, ecs,"
                    + " sentinel, asim (process starts and connections only: ASIM process and network rows)")
    String shape;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "random seed (default: 1)")
    long seed;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S",
            description = "pace the output at this many records per second, with event times from now")
    Double rate;

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--output", paramLabel = "FILE", required = true, description = "NDJSON file (- for stdout)")
        String output;

        @ArgGroup(exclusive = false)
        KafkaTarget kafka;
    }

    static final class KafkaTarget {
        @Option(names = "--topic", paramLabel = "T", required = true, description = "Kafka topic (records keyed by host)")
        String topic;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", required = true, description = "Kafka brokers")
        String bootstrapServers;
    }

    @Option(names = "--expected", paramLabel = "FILE",
            description = "write the correlation alerts the chains must produce, one JSON object per line")
    Path expected;

    @Override
    public Integer call() throws Exception {
        RecordShape recordShape = RecordShape.named(shape);
        long[] written = {0};
        if (rate != null && !(rate > 0)) {
            throw new IllegalArgumentException("--rate must be positive, got " + rate);
        }
        Instant start = rate == null ? DEFAULT_START : Instant.now();
        Duration span = rate == null ? DEFAULT_SPAN : Duration.ofMillis(Math.max(1, (long) (events * 1000 / rate)));
        TelemetryGenerator generator = new TelemetryGenerator(new TelemetryGenerator.Settings(hosts, events, chainRate,
                Durations.parse(disorder, "--disorder"), seed, start, span));
        if (expected != null) {
            writeExpected(generator);
        }
        Pacer pacer = rate == null ? null : new Pacer(rate);
        if (target.output != null) {
            try (Writer out = "-".equals(target.output)
                    ? new BufferedWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)
                    : Files.newBufferedWriter(Path.of(target.output), StandardCharsets.UTF_8)) {
                generator.forEach(shaped(recordShape, written, paced(pacer, record -> writeLine(out, record.json()))));
            }
        } else {
            try (KafkaProducer<String, String> producer = producer(target.kafka.bootstrapServers)) {
                generator.forEach(shaped(recordShape, written, paced(pacer, record ->
                        producer.send(new ProducerRecord<>(target.kafka.topic, record.host(), record.json())))));
                producer.flush();
            }
        }
        System.err.printf("sigma-cep generate: %,d records, %,d hosts, %,d expected chain alerts%n",
                written[0], hosts, generator.expectedAlerts().size());
        return 0;
    }

    private void writeExpected(TelemetryGenerator generator) throws IOException {
        try (Writer out = Files.newBufferedWriter(expected, StandardCharsets.UTF_8)) {
            for (TelemetryGenerator.ExpectedAlert alert : generator.expectedAlerts()) {
                writeLine(out, "{\"rule_name\":\"" + alert.ruleName() + "\",\"host\":\"" + alert.host()
                        + "\",\"process_guid\":\"" + alert.processGuid()
                        + "\",\"first_event_time\":\"" + AlertJson.formatTime(alert.firstMillis() * 1000)
                        + "\",\"last_event_time\":\"" + AlertJson.formatTime(alert.lastMillis() * 1000) + "\"}");
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static void writeLine(Writer out, String line) {
        try {
            out.write(line);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each record in the shape asked for; one the shape cannot carry is left out. */
    private static Consumer<TelemetryGenerator.Record> shaped(RecordShape shape, long[] written,
                                                              Consumer<TelemetryGenerator.Record> sink) {
        return record -> {
            String json = shape.write(record.json());
            if (json != null) {
                written[0]++;
                sink.accept(new TelemetryGenerator.Record(record.host(), record.timeMillis(), json));
            }
        };
    }

    private static Consumer<TelemetryGenerator.Record> paced(Pacer pacer, Consumer<TelemetryGenerator.Record> sink) {
        return pacer == null ? sink : record -> {
            pacer.await();
            sink.accept(record);
        };
    }

    /** Spaces records evenly at the requested rate, catching up after a stall rather than drifting. */
    private static final class Pacer {
        private final double nanosPerRecord;
        private final long started = System.nanoTime();
        private long sent;

        Pacer(double recordsPerSecond) {
            this.nanosPerRecord = 1e9 / recordsPerSecond;
        }

        void await() {
            long due = started + (long) (sent++ * nanosPerRecord);
            long wait = due - System.nanoTime();
            if (wait > 1_000_000) {
                try {
                    Thread.sleep(wait / 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
