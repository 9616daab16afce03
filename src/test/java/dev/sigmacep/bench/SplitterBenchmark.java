package dev.sigmacep.bench;

import dev.sigmacep.event.ByteAtATimeJsonRecordSplitter;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.JsonRecordSplitter;
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

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Finding the records of a {@code .json} file (as the campaign zips hold them: one object per line, but not named as
 * JSON Lines, so the object splitter reads them): the splitter against the byte-at-a-time one it replaced. No
 * decoding; records per second over the first 50,000 records of a campaign, one core.
 *
 * <p>{@code java -Dsigmacep.shared=../shared -cp target/test-classes:target/classes:$(cat target/bench.classpath)
 * org.openjdk.jmh.Main SplitterBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class SplitterBenchmark {
    @Param({"LSASS_campaign_05/metasploit_sharpdump_lsass_memory_dump.zip"})
    public String campaign;

    private byte[] text;

    @Setup
    public void setUp() throws Exception {
        Path shared = Path.of(System.getProperty("sigmacep.shared", "../shared"));
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        Path zip = shared.resolve("data/telemetry/security-datasets/archives/datasets/compound").resolve(campaign);
        for (Event event : RuleEvaluationBenchmark.decode(zip)) {
            lines.write(event.rawUtf8());
            lines.write('\n');
        }
        text = lines.toByteArray();
    }

    @Benchmark
    @OperationsPerInvocation(RuleEvaluationBenchmark.EVENTS)
    public long split() throws IOException {
        JsonRecordSplitter splitter = new JsonRecordSplitter(new ByteArrayInputStream(text), 1 << 20);
        long bytes = 0;
        while (splitter.next()) bytes += splitter.length();
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(RuleEvaluationBenchmark.EVENTS)
    public long splitByteAtATime() throws IOException {
        ByteAtATimeJsonRecordSplitter splitter = new ByteAtATimeJsonRecordSplitter(new ByteArrayInputStream(text), 1 << 20);
        long bytes = 0;
        while (splitter.next()) bytes += splitter.length();
        return bytes;
    }
}
