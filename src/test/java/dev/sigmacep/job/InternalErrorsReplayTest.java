package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.sigmacep.testing.FlatSysmon.T0;
import static dev.sigmacep.testing.FlatSysmon.connection;
import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bug met while the rules evaluate one event, injected into the running job: the job finishes, the event leaves as
 * a dead letter whose reason names the error, and every other event gives the alerts of a run without the bug.
 */
class InternalErrorsReplayTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";
    private static final List<String> RECORDS = List.of(
            processStart("H1", T0, "{g1}", WERMGR, WERMGR, "{p}", "C:\\loader.exe"),
            connection("H1", T0.plusSeconds(10), "{g1}", WERMGR, "203.0.113.9"),
            // the event the bug is met on
            processStart("H2", T0.plusSeconds(15), "{g2}", "C:\\Windows\\notepad.exe", "notepad", "{p}", "C:\\explorer.exe"),
            processStart("H1", T0.plusSeconds(20), "{c1}", "C:\\Windows\\System32\\cmd.exe", "cmd.exe", "{g1}", WERMGR),
            processStart("H3", T0.plusSeconds(30), "{g3}", WERMGR, WERMGR, "{p}", "C:\\loader.exe"),
            connection("H3", T0.plusSeconds(40), "{g3}", WERMGR, "203.0.113.10"));

    /** A value no decoder makes: reading it throws, as a bug in the rule engine would. Made in the task. */
    static final class BrokenValue {
        @Override
        public String toString() {
            throw new IllegalStateException("injected bug");
        }
    }

    /** H2's event with an Image whose reading throws; every other record as decoded. */
    private static DecodeResult injectBug(DecodeResult decoded) {
        Event event = decoded.event();
        if (!event.host().equals("H2")) {
            return decoded;
        }
        Map<String, Object> fields = new LinkedHashMap<>(event.fields());
        fields.put("Image", new BrokenValue());
        return DecodeResult.ok(new Event(fields, event.host(), event.timeMicros(), event.format(), event.raw()));
    }

    private static List<String> run(boolean withBug) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1); // source, bug injection, split and detect chained: the event is passed, not copied
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        JobSettings settings = JobSettings.defaults();
        EventDecoder decoder = new EventDecoder();
        List<DecodeResult> decoded = RECORDS.stream().map(decoder::decode).toList();
        DataStream<DecodeResult> source = env.fromData(decoded, TypeInformation.of(DecodeResult.class));
        if (withBug) {
            source = source.map(InternalErrorsReplayTest::injectBug).returns(TypeInformation.of(DecodeResult.class));
        }
        SigmaCepJob.Outputs outputs = new SigmaCepJob(settings, rules).wire(
                source.assignTimestampsAndWatermarks(SigmaCepJob.watermarks(settings.eventTime())));
        DataStream<String> all = outputs.alerts().map(alert -> "alert " + alert.ruleName() + "@" + alert.host())
                .returns(Types.STRING)
                .union(outputs.deadLetters().map(dead -> "dead " + dead.reason() + " | " + dead.raw())
                        .returns(Types.STRING));
        List<String> results = new ArrayList<>();
        try (var collected = all.executeAndCollect()) {
            collected.forEachRemaining(results::add);
        }
        results.sort(null);
        return results;
    }

    @Test
    void theEventLeavesAsADeadLetterWithTheErrorAndTheOthersAlertAsWithoutTheBug() throws Exception {
        List<String> clean = run(false);
        List<String> withBug = run(true);

        assertThat(clean).contains("alert wer_masquerade_chain@H1", "alert wer_masquerade_netconn@H3")
                .noneMatch(line -> line.startsWith("dead "));
        List<String> deadLetters = withBug.stream().filter(line -> line.startsWith("dead ")).toList();
        assertThat(deadLetters).singleElement().asString()
                .startsWith("dead internal error: rule evaluation failed on this record, no rule evaluated it:"
                        + " java.lang.IllegalStateException: injected bug;")
                .endsWith(" | " + RECORDS.get(2));
        assertThat(withBug.stream().filter(line -> line.startsWith("alert ")).toList()).isEqualTo(clean);
    }
}
