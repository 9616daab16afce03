package dev.sigmacep.kafka;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.sigmacep.testing.AlertCounts.expectOnEach;
import static dev.sigmacep.testing.FlatSysmon.connection;
import static dev.sigmacep.testing.FlatSysmon.processStart;

/**
 * Input records for the Kafka tests, keyed by host, with the alerts the flagship rules give on them. A batch is
 * sent in event-time order, as collectors would, and ends with a later "tick" on every partition: CEP emits a
 * correlation only once the watermark of every input partition has passed its last event.
 */
final class KafkaRecords {
    static final String SEED_RULE = "396f6630-f3ac-44e3-bfc8-1b161bc00c4e";
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";
    private static final String CMD = "C:\\Windows\\System32\\cmd.exe";
    private static final String LOADER = "C:\\Users\\alice\\AppData\\Local\\Temp\\loader.exe";

    private record Timed(Instant time, int partition, String host, String value) {
    }

    private final String topic;
    private final int partitions;
    private final List<Timed> records = new ArrayList<>();
    private final Map<String, Integer> expected = new TreeMap<>();

    KafkaRecords(String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
    }

    /** The flagship chain: wermgr.exe started without arguments, an outbound connection, a shell child. */
    KafkaRecords chain(String host, Instant t0) {
        String guid = "{g-" + host + "}";
        add(t0, host, processStart(host, t0, guid, WERMGR, "\"" + WERMGR + "\"", "{p-" + host + "}", LOADER));
        add(t0.plusSeconds(20), host, connection(host, t0.plusSeconds(20), guid, WERMGR, "203.0.113.50"));
        add(t0.plus(Duration.ofMinutes(5)), host,
                processStart(host, t0.plus(Duration.ofMinutes(5)), "{c-" + host + "}", CMD, "cmd.exe /c whoami", guid, WERMGR));
        for (String rule : List.of("wer_noargs_start", "wer_outbound_connection", "wer_child_shell", SEED_RULE,
                "wer_masquerade_netconn", "wer_masquerade_chain")) {
            expectOnEach(expected, rule, host);
        }
        return this;
    }

    /** wermgr.exe with an argument, a connection and a shell child: building blocks and SigmaHQ, no correlation. */
    KafkaRecords noChain(String host, Instant t0) {
        String guid = "{g-" + host + "}";
        add(t0, host, processStart(host, t0, guid, WERMGR, WERMGR + " -upload", "{p-" + host + "}",
                "C:\\Windows\\System32\\svchost.exe"));
        add(t0.plusSeconds(10), host, connection(host, t0.plusSeconds(10), guid, WERMGR, "20.42.73.29"));
        add(t0.plus(Duration.ofMinutes(1)), host,
                processStart(host, t0.plus(Duration.ofMinutes(1)), "{c-" + host + "}", CMD, "cmd.exe", guid, WERMGR));
        for (String rule : List.of("wer_outbound_connection", "wer_child_shell", SEED_RULE)) {
            expectOnEach(expected, rule, host);
        }
        return this;
    }

    /** Any text, keyed by a host (so it lands in that host's partition, after that host's earlier records). */
    KafkaRecords raw(Instant at, String host, String value) {
        add(at, host, value);
        return this;
    }

    /** Any text in a partition of the test's choosing (keyed by the host all the same). */
    KafkaRecords rawIn(int partition, Instant at, String host, String value) {
        records.add(new Timed(at, partition, host, value));
        return this;
    }

    /** An ordinary process start on every partition, far enough ahead to move every watermark past the batch. */
    KafkaRecords tick(Instant at) {
        for (int p = 0; p < partitions; p++) {
            String host = "H-TICK-" + p;
            records.add(new Timed(at, p, host, processStart(host, at, "{tick-" + at.getEpochSecond() + "-" + p + "}",
                    "C:\\Windows\\System32\\notepad.exe", "notepad.exe", "{explorer-" + p + "}",
                    "C:\\Windows\\explorer.exe")));
        }
        return this;
    }

    private void add(Instant time, String host, String value) {
        records.add(new Timed(time, -1, host, value));
    }

    /** In event-time order (stable), keyed by host; ticks go to their own partition. */
    List<ProducerRecord<String, String>> producerRecords() {
        List<Timed> ordered = new ArrayList<>(records);
        ordered.sort(Comparator.comparing(Timed::time));
        List<ProducerRecord<String, String>> result = new ArrayList<>();
        for (Timed t : ordered) {
            result.add(t.partition() < 0 ? new ProducerRecord<>(topic, t.host(), t.value())
                    : new ProducerRecord<>(topic, t.partition(), t.host(), t.value()));
        }
        return result;
    }

    /** Expected alerts, counted by {@code rule@host} as {@link dev.sigmacep.testing.AlertCounts} does. */
    Map<String, Integer> expected() {
        return new TreeMap<>(expected);
    }

    static Map<String, Integer> sum(List<Map<String, Integer>> counts) {
        Map<String, Integer> total = new TreeMap<>();
        counts.forEach(c -> c.forEach((key, n) -> total.merge(key, n, Integer::sum)));
        return total;
    }

    static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
