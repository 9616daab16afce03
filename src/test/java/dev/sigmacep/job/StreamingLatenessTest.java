package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.sigmacep.testing.FlatSysmon.T0;
import static dev.sigmacep.testing.FlatSysmon.connection;
import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;

/** The streaming graph: events later than the out-of-orderness bound reach the late output with a reason. */
class StreamingLatenessTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";

    @Test
    void eventsBehindTheWatermarkAreLateButStillAlertOnTheirOwn() throws Exception {
        List<String> records = List.of(
                // in order: a complete masquerading pair on H1
                processStart("H1", T0, "{g1}", WERMGR, WERMGR, "{p}", "C:\\loader.exe"),
                connection("H1", T0.plusSeconds(10), "{g1}", WERMGR, "203.0.113.9"),
                // ten minutes later on H2: moves the watermark to T0+8m
                processStart("H2", T0.plus(Duration.ofMinutes(10)), "{g2}", "C:\\Windows\\notepad.exe", "notepad", "{p}", "C:\\explorer.exe"),
                // a pair for H3 stamped at T0+1m, arriving after that: both are 9 minutes late
                processStart("H3", T0.plusSeconds(60), "{g3}", WERMGR, WERMGR, "{p}", "C:\\loader.exe"),
                connection("H3", T0.plusSeconds(70), "{g3}", WERMGR, "203.0.113.10"));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        JobSettings settings = JobSettings.defaults();
        EventDecoder decoder = new EventDecoder();
        List<DecodeResult> decoded = records.stream().map(decoder::decode).toList();
        SigmaCepJob.Outputs outputs = new SigmaCepJob(settings, rules).wire(env
                .fromData(decoded, TypeInformation.of(DecodeResult.class))
                .assignTimestampsAndWatermarks(SigmaCepJob.watermarks(settings.eventTime())));
        DataStream<String> all = outputs.alerts().map(alert -> "alert " + alert.ruleName() + "@" + alert.host())
                .returns(Types.STRING)
                .union(outputs.late().map(late -> "late " + late.correlationId() + " " + late.reason()).returns(Types.STRING),
                        outputs.deadLetters().map(dead -> "dead " + dead.reason()).returns(Types.STRING));

        List<String> alerts = new ArrayList<>();
        List<String> late = new ArrayList<>();
        try (var results = all.executeAndCollect()) {
            results.forEachRemaining(output -> {
                if (output.startsWith("alert ")) {
                    alerts.add(output.substring("alert ".length()));
                } else if (output.startsWith("late ")) {
                    late.add(output.substring("late ".length()));
                }
            });
        }

        assertThat(alerts).containsExactlyInAnyOrder(
                "wer_noargs_start@H1", "wer_outbound_connection@H1", "wer_masquerade_netconn@H1",
                "wer_noargs_start@H3", "wer_outbound_connection@H3");
        String netconn = "b3d8e5a2-6f1c-4d7b-9e04-7c2a1f8b5d93";
        String chain = "9a1f6c3d-8e2b-4b7a-a5d0-3e6f2c9b1d47";
        String callback = "72b53633-e5c7-445d-84b0-2d3de8e7c409";
        assertThat(late).containsExactlyInAnyOrder(
                callback + " late: event time 2024-03-12T10:01:00.000Z is behind the watermark (more than 120s out of order); not correlated by wer_child_shell_callback",
                netconn + " late: event time 2024-03-12T10:01:00.000Z is behind the watermark (more than 120s out of order); not correlated by wer_masquerade_netconn",
                chain + " late: event time 2024-03-12T10:01:00.000Z is behind the watermark (more than 120s out of order); not correlated by wer_masquerade_chain",
                netconn + " late: event time 2024-03-12T10:01:10.000Z is behind the watermark (more than 120s out of order); not correlated by wer_masquerade_netconn",
                chain + " late: event time 2024-03-12T10:01:10.000Z is behind the watermark (more than 120s out of order); not correlated by wer_masquerade_chain");
    }
}
