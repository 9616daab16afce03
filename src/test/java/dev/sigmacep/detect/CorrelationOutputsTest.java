package dev.sigmacep.detect;

import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.correlate.CorrelationPlan;
import dev.sigmacep.correlate.RecordReference;
import dev.sigmacep.correlate.SharedInput;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.event.JsonLines;
import dev.sigmacep.event.SourceFiles;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.sigma.match.MatchContext;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which correlations share an operator (sequences with the same first group-by field, taking only detection
 * matches), and how one event's inputs leave: one shared input per partition value, the others on their own outputs.
 */
class CorrelationOutputsTest {
    private static final String RULES = """
            title: a
            name: a
            logsource: {product: windows, category: process_creation}
            detection: {sel: {Image|endswith: '\\\\a.exe'}, condition: sel}
            ---
            title: b
            name: b
            logsource: {product: windows, category: process_creation}
            detection: {sel: {Image|endswith: '\\\\b.exe'}, condition: sel}
            ---
            title: by process
            name: by_process
            correlation: {type: temporal_ordered, rules: [a, b], group-by: [Computer, ProcessGuid], timespan: 1m}
            ---
            title: by host
            name: by_host
            correlation: {type: temporal_ordered, rules: [a, b], group-by: [Computer], timespan: 1m}
            ---
            title: by user
            name: by_user
            correlation: {type: temporal_ordered, rules: [a, b], group-by: [User], timespan: 1m}
            ---
            title: count by host
            name: count_by_host
            correlation: {type: event_count, rules: [a], group-by: [Computer], timespan: 1m, condition: {gte: 2}}
            ---
            title: chained
            name: chained
            correlation: {type: temporal_ordered, rules: [by_host, b], group-by: [Computer], timespan: 5m}
            """;

    private static List<CorrelationPlan> plans(String text) {
        RuleSet rules = new RuleSet(List.of(new RuleSource("rules.yml", text)), MatchContext.empty());
        assertThat(rules.model().errors()).isEmpty();
        return rules.model().plans();
    }

    private static List<String> labels(List<CorrelationPlan> plans, List<Integer> members) {
        return members.stream().map(member -> plans.get(member).label()).toList();
    }

    @Test
    void sequencesWithTheSameFirstGroupByFieldShareAnOperator() {
        List<CorrelationPlan> plans = plans(RULES);
        CorrelationOutputs sharing = CorrelationOutputs.sharing(plans);
        int shared = -1;
        for (int p = 0; p < plans.size(); p++) {
            String label = plans.get(p).label();
            boolean shares = label.equals("by_process") || label.equals("by_host");
            assertThat(sharing.own(p) == null).as(label).isEqualTo(shares);
            if (shares) {
                shared = sharing.sharedOperator(p);
            } else {
                assertThat(sharing.sharedOperator(p)).as(label).isEqualTo(-1);
            }
        }
        assertThat(labels(plans, sharing.members(shared))).containsExactly("by_process", "by_host");

        CorrelationOutputs separate = CorrelationOutputs.separate(plans);
        for (int p = 0; p < plans.size(); p++) {
            assertThat(separate.own(p).getId()).isEqualTo("correlation-" + plans.get(p).label());
        }
    }

    /**
     * Streaming: a sequence alone on its first group-by field goes through its own partition exchange too (by_user),
     * so its operators do not change when a correlation sharing that field is added or removed; counts and
     * correlations built on others keep their own outputs.
     */
    @Test
    void inStreamingASequenceAloneOnItsFirstFieldIsPartitionedToo() {
        List<CorrelationPlan> plans = plans(RULES);
        CorrelationOutputs byPartition = CorrelationOutputs.byPartition(plans);
        for (int p = 0; p < plans.size(); p++) {
            String label = plans.get(p).label();
            boolean partitioned = label.startsWith("by_");
            assertThat(byPartition.own(p) == null).as(label).isEqualTo(partitioned);
        }
        int byUser = index(plans, "by_user");
        assertThat(labels(plans, byPartition.members(byPartition.sharedOperator(byUser)))).containsExactly("by_user");
        assertThat(labels(plans, byPartition.members(byPartition.sharedOperator(index(plans, "by_host")))))
                .containsExactly("by_process", "by_host");
    }

    @Test
    void theFlagshipCorrelationsShareOneOperator() throws Exception {
        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"))), MatchContext.empty());
        List<CorrelationPlan> plans = rules.model().plans();
        CorrelationOutputs sharing = CorrelationOutputs.sharing(plans);
        assertThat(labels(plans, sharing.members(0))).containsExactlyInAnyOrder(
                "9a1f6c3d-8e2b-4b7a-a5d0-3e6f2c9b1d47", "b3d8e5a2-6f1c-4d7b-9e04-7c2a1f8b5d93",
                "72b53633-e5c7-445d-84b0-2d3de8e7c409");
    }

    @Test
    void oneEventsInputsLeaveTogetherPerPartitionValue() {
        List<CorrelationPlan> plans = plans(RULES);
        CorrelationOutputs outputs = CorrelationOutputs.sharing(plans);
        int byProcess = index(plans, "by_process");
        int byHost = index(plans, "by_host");
        int byUser = index(plans, "by_user");
        Event event = new Event(Map.of("Computer", "H1"), "H1", 5_000, "test", "{\"n\":1}");
        List<Object[]> sent = new ArrayList<>();
        CorrelationOutputs.SideOutputs out = new CorrelationOutputs.SideOutputs() {
            @Override
            public <X> void output(OutputTag<X> tag, X value) {
                sent.add(new Object[]{tag.getId(), value});
            }
        };

        outputs.emit(byProcess, new CorrelationEvent(List.of("H1", "{p1}"), 0b1, event), out);
        outputs.emit(byUser, new CorrelationEvent(List.of("alice"), 0b1, event), out);
        outputs.emit(byHost, new CorrelationEvent(List.of("H1"), 0b10, event), out);
        outputs.emit(byProcess, new CorrelationEvent(List.of("H2", "{p1}"), 0b1, event), out); // another partition
        assertThat(sent).extracting(s -> s[0]).containsExactly("correlation-by_user"); // the rest waits for the event's end
        outputs.endEvent(event, out);
        outputs.endEvent(event, out); // nothing twice

        assertThat(sent).hasSize(3);
        SharedInput h1 = (SharedInput) sent.get(1)[1];
        SharedInput h2 = (SharedInput) sent.get(2)[1];
        assertThat(sent.get(1)[0]).isEqualTo("shared-correlation-0");
        assertThat(h1.partition()).isEqualTo("H1");
        assertThat(h1.members()).containsExactly(0, 1); // by_process, then by_host: their order among the members
        assertThat(h1.inputs()).extracting(CorrelationEvent::key).containsExactly("H1\u001f{p1}", "H1");
        assertThat(h2.partition()).isEqualTo("H2");
        assertThat(h2.members()).containsExactly(0);
        assertThat(h1.reference()).as("an event that does not know where its record lies").isNull();
    }

    @Test
    void inBatchARecordWhosePositionIsKnownCrossesAsItsReference() throws IOException {
        Path file = Path.of("samples/wer-chain/sysmon-flat.ndjson").toAbsolutePath();
        byte[] text = Files.readAllBytes(file);
        JsonLines lines = new JsonLines(new ByteArrayInputStream(text), 0, 0, text.length, 1 << 20);
        assertThat(lines.next()).isTrue();
        Event event = new EventDecoder().decodeLine(lines, SourceFiles.register(file.toString())).event();
        List<CorrelationPlan> plans = plans(RULES);
        int byHost = index(plans, "by_host");
        for (boolean batch : new boolean[]{true, false}) {
            CorrelationOutputs outputs = batch ? CorrelationOutputs.sharing(plans) : CorrelationOutputs.byPartition(plans);
            List<SharedInput> sent = new ArrayList<>();
            CorrelationOutputs.SideOutputs out = new CorrelationOutputs.SideOutputs() {
                @Override
                public <X> void output(OutputTag<X> tag, X value) {
                    sent.add((SharedInput) value);
                }
            };
            outputs.emit(byHost, new CorrelationEvent(List.of("H1"), 0b1, event), out);
            outputs.endEvent(event, out);
            RecordReference reference = sent.get(0).reference();
            if (!batch) {
                assertThat(reference).as("streaming: the exchange's data may end in a checkpoint").isNull();
                continue;
            }
            int firstLineLength = indexOf(text, (byte) '\n');
            assertThat(reference.file()).isEqualTo(SourceFiles.register(file.toString()));
            assertThat(reference.offset()).isZero();
            assertThat(reference.length()).isEqualTo(firstLineLength);
            CRC32C crc = new CRC32C();
            crc.update(text, 0, firstLineLength);
            assertThat(reference.crc32c()).isEqualTo((int) crc.getValue());
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int index(List<CorrelationPlan> plans, String label) {
        for (int p = 0; p < plans.size(); p++) {
            if (plans.get(p).label().equals(label)) {
                return p;
            }
        }
        throw new AssertionError(label);
    }
}
