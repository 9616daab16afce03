package dev.sigmacep.bench;

import dev.sigmacep.detect.DetectionModel;
import dev.sigmacep.detect.LiveRules;
import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.detect.RuleUpdate;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import dev.sigmacep.job.JobSettings;
import dev.sigmacep.job.SigmaCepJob;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RuleSource;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Broadcast rule evaluation: the job's detect stage with rules fixed at submission ({@code DetectFunction}) beside
 * the same stage taking rule updates on a broadcast input ({@code LiveDetectFunction}), the whole SigmaHQ
 * {@code rules/windows} pack plus the project's rules, on one campaign's events decoded beforehand; parallelism 1,
 * STREAMING, the job's whole graph after decoding (correlations included), net job runtime after a warm-up run.
 * The live stage runs with no update (what broadcasting costs while rules stay as they are) and with
 * {@code UPDATES} updates during the run, each sending {@code wer_outbound_connection} again unchanged (a new
 * version of the same rule), so its alerts equal the fixed run's whenever the updates land; the run fails otherwise.
 * Then, without Flink, what one update costs a subtask before its next event: validating it and building the next
 * model, in which only the changed file is parsed and compiled again (the median of 5 updates from distinct
 * origins: equal rule sets would share a compiled model), beside compiling the whole pack from scratch.
 * <p>Run: {@code LiveDetectBenchmark [CAMPAIGN_ZIP [UPDATES]]} (default: LSASS_campaign_05's sharpdump, 3); prints one
 * JSON line per figure.
 */
public final class LiveDetectBenchmark {
    static volatile Event[] events;

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("sigmacep.shared", "../shared"));
        Path campaign = args.length > 0 ? Path.of(args[0]) : shared.resolve("data/telemetry/security-datasets/archives"
                + "/datasets/compound/LSASS_campaign_05/metasploit_sharpdump_lsass_memory_dump.zip");
        int updates = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        events = RuleEvaluationBenchmark.decode(campaign); // the first 50,000 events, as its JMH figures
        List<RuleSource> sources = RuleLoader.readSources(List.of(shared.resolve("data/sigma/rules/windows"),
                Path.of("rules")));
        RuleSet rules = new RuleSet(sources, MatchContext.empty());
        String update = Files.readString(Path.of("rules/wer/wer_outbound_connection.yml"));

        ChainBenchmark.ALERTS.set(0);
        run(rules, null);
        long expected = ChainBenchmark.ALERTS.getAndSet(0);
        double fixed = seconds(run(rules, null));
        check("fixed", expected);
        run(rules, List.of());
        check("live warm-up", expected);
        double quiet = seconds(run(rules, List.of()));
        check("live, no update", expected);
        double updated = seconds(run(rules, update(update, updates)));
        check("live, updates", expected);
        print("detect_fixed_eps", events.length / fixed, expected, "DetectFunction, rules fixed at submission");
        print("detect_live_eps", events.length / quiet, expected, "LiveDetectFunction, no rule update");
        print("detect_live_updated_eps", events.length / updated, expected, "LiveDetectFunction with " + updates
                + " rule updates on its broadcast input during the run");

        LiveRules deployed = LiveRules.deployed(sources, MatchContext.empty());
        long[] nanos = new long[5];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            LiveRules.Outcome outcome = deployed.apply(new RuleUpdate("apply-" + i, update));
            nanos[i] = System.nanoTime() - start;
            if (outcome.next() == null) {
                throw new IllegalStateException("update rejected: " + outcome.statuses());
            }
        }
        Arrays.sort(nanos);
        long[] whole = new long[3];
        for (int i = 0; i < whole.length; i++) { // the same pack from scratch: what every update cost before reuse
            List<RuleSource> renamed = sources.stream().map(s -> new RuleSource(s.path() + "#whole", s.text())).toList();
            long start = System.nanoTime();
            DetectionModel.build(renamed, MatchContext.empty());
            whole[i] = System.nanoTime() - start;
        }
        Arrays.sort(whole);
        System.out.printf("{\"name\":\"pack_compile_ms\",\"value\":%.1f,\"note\":\"DetectionModel.build of the whole pack"
                + " from scratch, median of 3\"}%n", whole[1] / 1e6);
        System.out.printf("{\"name\":\"live_update_apply_ms\",\"value\":%.1f,\"rules\":%d,\"note\":\"LiveRules.apply of one"
                        + " replaced rule over the whole pack (validate + compile the next model), median of 5\"}%n",
                nanos[nanos.length / 2] / 1e6, deployed.model().compiled().size());
    }

    private static List<RuleUpdate> update(String text, int count) {
        List<RuleUpdate> updates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            updates.add(new RuleUpdate("bench-" + i, text));
        }
        return updates;
    }

    private static JobExecutionResult run(RuleSet rules, List<RuleUpdate> updates) throws Exception {
        StreamExecutionEnvironment env = ChainBenchmark.environment();
        JobSettings settings = JobSettings.defaults();
        var decoded = env.fromSource(new NumberSequenceSource(0, events.length - 1), WatermarkStrategy.noWatermarks(),
                        "decoded events")
                .map(i -> DecodeResult.ok(events[(int) (long) i])).returns(TypeInformation.of(DecodeResult.class))
                .assignTimestampsAndWatermarks(SigmaCepJob.watermarks(settings.eventTime()));
        DataStream<RuleUpdate> ruleUpdates = updates == null ? null
                : env.fromData(updates, TypeInformation.of(RuleUpdate.class)).setParallelism(1);
        new SigmaCepJob(settings, rules).wire(decoded, ruleUpdates).alerts().sinkTo(new ChainBenchmark.CountingSink());
        return env.execute("live-detect");
    }

    private static double seconds(JobExecutionResult result) {
        return result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
    }

    private static void check(String run, long expected) {
        long alerts = ChainBenchmark.ALERTS.getAndSet(0);
        if (alerts != expected) {
            throw new IllegalStateException(run + " run: " + alerts + " alerts, the first run " + expected);
        }
    }

    private static void print(String name, double eps, long alerts, String what) {
        System.out.printf("{\"name\":\"%s\",\"events\":%d,\"alerts\":%d,\"eps\":%.1f,\"note\":\"%s; whole SigmaHQ"
                + " windows pack + project rules, parallelism 1, STREAMING, net job runtime after a warm-up run\"}%n",
                name, events.length, alerts, eps, what);
    }
}
