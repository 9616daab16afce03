package dev.sigmacep.bench;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sigmacep.event.Event;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares builds of the decoder in one JVM, alternating: each build's {@code EventDecoder} in its own class loader,
 * and the bare Jackson walk of {@link RuleEvaluationBenchmark#jacksonStreamingBaseline}, one pass each over the same
 * records per round, in an order that turns from round to round; prints each build's median ratio of thread CPU
 * time to the walk's in the same round. On this shared machine JMH's
 * iterations move by a third within an hour, so two builds measured apart cannot be told apart by a few percent;
 * passes side by side share the noise, and the ratio cancels most of it.
 *
 * <p>Run (after {@code bin/bench} built the class path), e.g. the working tree against a clone at another commit,
 * each built with {@code mvn -DskipTests compile}:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/bench.classpath) dev.sigmacep.bench.DecoderAlternation \
 *     ROUNDS BUILD_DIR... </pre>
 * A build directory is a checkout whose {@code target/classes} holds the build. Records: the 50,000 that
 * {@link RuleEvaluationBenchmark} measures ({@code -Dsigmacep.shared}, default {@code ../shared}), or the first
 * 50,000 that decode of another telemetry file ({@code -Dsigmacep.records=FILE}, e.g. the fleet profile, whose
 * values are mostly new ones). Name a build twice to see the spread of equal code.
 */
public final class DecoderAlternation {
    private static final int WARM_UP_ROUNDS = 8;

    private interface Pass {
        long run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: DecoderAlternation ROUNDS BUILD_DIR...");
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[0]);
        // the records RuleEvaluationBenchmark measures: the campaign's first ones that decode, as read
        String file = System.getProperty("sigmacep.records");
        Path source = file != null ? Path.of(file) : RuleEvaluationBenchmark.campaignFile(
                Path.of(System.getProperty("sigmacep.shared", "../shared")), RuleEvaluationBenchmark.CAMPAIGN);
        byte[][] records = Arrays.stream(RuleEvaluationBenchmark.decode(source)).map(Event::rawUtf8)
                .toArray(byte[][]::new);
        List<String> builds = Arrays.asList(args).subList(1, args.length);
        List<Pass> passes = new ArrayList<>();
        JsonFactory json = new JsonFactory();
        passes.add(() -> RuleEvaluationBenchmark.jacksonWalk(json, records));
        for (String build : builds) {
            passes.add(decoderPass(Path.of(build), records));
        }

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] millis = new double[rounds][passes.size()];
        long sink = 0;
        for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
            for (int step = 0; step < passes.size(); step++) {
                int pass = Math.floorMod(step + round, passes.size()); // each round starts elsewhere: no pass always follows the same one
                long start = threads.getCurrentThreadCpuTime();
                sink += passes.get(pass).run();
                long cpu = threads.getCurrentThreadCpuTime() - start;
                if (round >= 0) millis[round][pass] = cpu / 1e6;
            }
        }
        System.out.printf("%d records, %d rounds after %d to warm up (checksum %d)%n", records.length, rounds,
                WARM_UP_ROUNDS, sink);
        System.out.printf("Jackson walk: median %.1f ms CPU per pass%n", median(column(millis, 0, null)));
        for (int build = 0; build < builds.size(); build++) {
            double[] ratios = column(millis, build + 1, column(millis, 0, null));
            Arrays.sort(ratios);
            System.out.printf("%s: CPU / Jackson walk, median %.3f (quartiles %.3f-%.3f)%n", builds.get(build),
                    ratios[rounds / 2], ratios[rounds / 4], ratios[3 * rounds / 4]);
        }
    }

    /** The build's decoder through reflection: its classes are not this class loader's. */
    private static Pass decoderPass(Path build, byte[][] records) throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(build.resolve("target/classes").toUri().toURL());
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.contains("target/classes") && !entry.contains("target/test-classes")) { // dependencies only
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        Class<?> decoderClass = loader.loadClass("dev.sigmacep.event.EventDecoder");
        Object decoder = decoderClass.getConstructor().newInstance();
        Method decode = decoderClass.getMethod("decodeUtf8", byte[].class, int.class, int.class);
        Method event = loader.loadClass("dev.sigmacep.event.DecodeResult").getMethod("event");
        return () -> {
            long decoded = 0;
            for (byte[] record : records) {
                if (event.invoke(decode.invoke(decoder, record, 0, record.length)) != null) decoded++;
            }
            return decoded;
        };
    }

    /** Column {@code index}, divided row by row by {@code divisors} when given. */
    private static double[] column(double[][] rows, int index, double[] divisors) {
        double[] values = new double[rows.length];
        for (int row = 0; row < rows.length; row++) {
            values[row] = rows[row][index] / (divisors == null ? 1 : divisors[row]);
        }
        return values;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
