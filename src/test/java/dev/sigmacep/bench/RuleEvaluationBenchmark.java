package dev.sigmacep.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.job.TelemetryStreams;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.route.CompiledRulePack;
import dev.sigmacep.sigma.rule.RulePack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Routing + evaluation of the whole SigmaHQ {@code rules/windows} pack (plus the project's rules) on events
 * decoded beforehand from a real campaign; also decoding alone, and decoding then evaluation as the job does it,
 * and a plain Jackson token walk over the same records (the limit for decoding).
 * One operation = one event, so the scores are events/s on one thread. Run: {@code bin/bench RuleEvaluationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class RuleEvaluationBenchmark {
    static final int EVENTS = 50_000;
    static final int REPLAY_EVENTS = 350_000;

    static final String CAMPAIGN = "LSASS_campaign_05/metasploit_sharpdump_lsass_memory_dump.zip";

    /** Campaign zip under ../shared/data/telemetry/security-datasets/archives/datasets/compound/. */
    @Param({CAMPAIGN})
    public String campaign;

    private CompiledRulePack rules;
    private Event[] events;
    /** The records as the job reads them from files and Kafka: UTF-8 bytes. */
    private byte[][] records;
    private final EventDecoder decoder = new EventDecoder();
    private final JsonFactory json = new JsonFactory();
    private final Counter counter = new Counter();

    @Setup
    public void setUp() throws Exception {
        Path shared = Path.of(System.getProperty("sigmacep.shared", "../shared"));
        RulePack pack = new RuleLoader(MatchContext.empty()).load(RuleLoader.readSources(List.of(
                shared.resolve("data/sigma/rules/windows"), Path.of("rules"))));
        rules = CompiledRulePack.compile(pack.compiled());
        events = decode(campaignFile(shared, campaign));
        records = Arrays.stream(events).map(Event::rawUtf8).toArray(byte[][]::new);
        System.out.printf("%n%d rules (%d rejected), %d events%n", pack.rules().size(), pack.errors().size(), events.length);
    }

    static Path campaignFile(Path shared, String campaign) {
        return shared.resolve("data/telemetry/security-datasets/archives/datasets/compound").resolve(campaign);
    }

    /** The file's first {@link #EVENTS} events. */
    static Event[] decode(Path file) throws Exception {
        return decode(List.of(file), EVENTS);
    }

    /** The first {@code limit} events of the files, read in this order. */
    static Event[] decode(List<Path> files, int limit) throws Exception {
        List<Event> decoded = new ArrayList<>();
        for (Path file : files) {
            TelemetryStreams.decode(file, 1 << 20, result -> {
                if (result.event() != null && decoded.size() < limit) {
                    decoded.add(result.event());
                }
            });
        }
        return decoded.toArray(new Event[0]);
    }

    /** The target figure: routing and evaluation of events decoded beforehand. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long routeAndEvaluate() {
        return routeAndEvaluate(events);
    }

    private long routeAndEvaluate(Event[] decoded) {
        counter.matches = 0;
        for (Event event : decoded) {
            rules.match(event, counter);
        }
        return counter.matches;
    }

    /**
     * The campaign replay's events (every campaign archive and the Empire file, as {@code bench/run} replays them),
     * the first {@link #REPLAY_EVENTS}: the campaign above evaluates its first 50,000 events at about a third of the
     * cost of its last 10,000 (script blocks), and one slow rule showed only over all of them (docs/benchmarks.md,
     * round 20).
     */
    @State(Scope.Benchmark)
    public static class ReplayEvents {
        Event[] events;

        @Setup
        public void setUp() throws Exception {
            Path data = Path.of(System.getProperty("sigmacep.shared", "../shared"))
                    .resolve("data/telemetry/security-datasets");
            List<Path> files = new ArrayList<>();
            for (String dir : List.of("archives", "full")) {
                try (Stream<Path> found = Files.walk(data.resolve(dir))) {
                    found.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            }
            events = decode(files, REPLAY_EVENTS);
            if (events.length < REPLAY_EVENTS) {
                throw new IllegalStateException("the campaign replay has " + events.length + " events, not "
                        + REPLAY_EVENTS + ": " + files);
            }
        }
    }

    /** {@link #routeAndEvaluate} over the campaign replay's events (not a target figure). */
    @Benchmark
    @OperationsPerInvocation(REPLAY_EVENTS)
    public long routeAndEvaluateReplay(ReplayEvents replay) {
        return routeAndEvaluate(replay.events);
    }

    /** Decoding alone (JSON parse, field mapping, value interning) of the same records. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long decode() {
        long decoded = 0;
        for (byte[] record : records) {
            decoded += decoder.decodeUtf8(record, 0, record.length).event() != null ? 1 : 0;
        }
        return decoded;
    }

    /** {@link #decode} as the Kafka source decodes: each record's array handed over, so the event keeps it uncopied. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long decodeOwned() {
        long decoded = 0;
        for (byte[] record : records) {
            decoded += decoder.decodeOwnedUtf8(record).event() != null ? 1 : 0;
        }
        return decoded;
    }

    /**
     * The limit for {@code decode}: a plain Jackson streaming parse of the same records that visits every token and
     * materialises every name and scalar value as a String, and does nothing else.
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long jacksonStreamingBaseline() throws IOException {
        return jacksonWalk(json, records);
    }

    /** {@link #jacksonStreamingBaseline}'s walk; also {@link DecoderAlternation}'s yardstick. */
    static long jacksonWalk(JsonFactory json, byte[][] records) throws IOException {
        long chars = 0;
        for (byte[] record : records) {
            try (JsonParser parser = json.createParser(record)) {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token == JsonToken.FIELD_NAME || token.isScalarValue()) {
                        chars += parser.getText().length();
                    }
                }
            }
        }
        return chars;
    }

    /** What a detect operator does per record, Flink aside: decode, then route and evaluate while it is in cache. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long decodeAndEvaluate() {
        counter.matches = 0;
        for (byte[] record : records) {
            Event event = decoder.decodeUtf8(record, 0, record.length).event();
            if (event != null) {
                rules.match(event, counter);
            }
        }
        return counter.matches;
    }

    /**
     * A decoder of the thread's own, as each subtask of the job has one: run with {@code -t 2} to see whether two
     * detect subtasks sharing one compiled pack (as they do in one TaskManager) scale.
     */
    @State(Scope.Thread)
    public static class OwnDecoder {
        final EventDecoder decoder = new EventDecoder();
        final Counter counter = new Counter();
    }

    /** {@link #decodeAndEvaluate} with the thread's own decoder (and so its own interned values). */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long decodeAndEvaluateOwnDecoder(OwnDecoder own) {
        own.counter.matches = 0;
        for (byte[] record : records) {
            Event event = own.decoder.decodeUtf8(record, 0, record.length).event();
            if (event != null) {
                rules.match(event, own.counter);
            }
        }
        return own.counter.matches;
    }

    static final class Counter implements java.util.function.IntConsumer {
        long matches;

        @Override
        public void accept(int rule) {
            matches++;
        }
    }
}
