package dev.sigmacep.bench;

import dev.sigmacep.event.Event;
import dev.sigmacep.job.TelemetryStreams;
import dev.sigmacep.sigma.CompiledRulePack;
import dev.sigmacep.sigma.RuleLoader;
import dev.sigmacep.sigma.RulePack;
import dev.sigmacep.sigma.match.MatchContext;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Routing + evaluation of the whole SigmaHQ {@code rules/windows} pack (plus the project's rules) on events
 * decoded beforehand from a real campaign. One operation = one event, so the score is events/s on one thread.
 * Run: {@code bin/bench RuleEvaluationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class RuleEvaluationBenchmark {
    static final int EVENTS = Integer.getInteger("bench.events", 50_000);

    /** Campaign zip under ../shared/data/telemetry/security-datasets/archives/datasets/compound/. */
    @Param({"LSASS_campaign_05/metasploit_sharpdump_lsass_memory_dump.zip"})
    public String campaign;

    private CompiledRulePack rules;
    private Event[] events;
    private final Counter counter = new Counter();

    @Setup
    public void setUp() throws Exception {
        Path shared = Path.of(System.getProperty("sigmacep.shared", "../shared"));
        RulePack pack = new RuleLoader(MatchContext.empty()).load(RuleLoader.readSources(List.of(
                shared.resolve("data/sigma/rules/windows"), Path.of("rules"))));
        rules = CompiledRulePack.compile(pack.rules());
        events = decode(shared.resolve("data/telemetry/security-datasets/archives/datasets/compound").resolve(campaign));
        System.out.printf("%n%d rules (%d rejected), %d events%n", pack.rules().size(), pack.errors().size(), events.length);
    }

    static Event[] decode(Path file) throws Exception {
        List<Event> decoded = new ArrayList<>();
        TelemetryStreams.decode(file, 1 << 20, result -> {
            if (result.event() != null && decoded.size() < EVENTS) {
                decoded.add(result.event());
            }
        });
        return decoded.toArray(new Event[0]);
    }

    @Benchmark
    @OperationsPerInvocation(50_000)
    public long routeAndEvaluate() {
        counter.matches = 0;
        for (int r = 0; r < 50_000 / events.length; r++)
        for (Event event : events) {
            rules.match(event, counter);
        }
        return counter.matches;
    }

    @Benchmark
    @OperationsPerInvocation(50_000)
    public long touchOnly() {
        long sum = 0;
        for (Event event : events) {
            Object c = event.field("Channel");
            Object e = event.field("EventID");
            sum += c.hashCode() + e.hashCode();
            for (Object v : event.values()) if (v instanceof String t && !t.isEmpty()) sum += t.charAt(0);
        }
        return sum;
    }

    static final class Counter implements java.util.function.IntConsumer {
        long matches;

        @Override
        public void accept(int rule) {
            matches++;
        }
    }
}
