package dev.sigmacep.job;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Hands a replay's results to the client that started it, in the same JVM: an embedded replay runs its mini cluster
 * inside the client, so its sink subtasks can call the client's consumers directly, without Flink's collect
 * protocol (which ships every result through the job coordinator, one batch per request). The job only finds the
 * client by the name of a {@link Channel} the client opened; a job run anywhere else fails at the sink's start.
 */
final class ClientSink implements Sink<ReplayOutput> {
    private static final Map<String, Channel> OPEN = new ConcurrentHashMap<>();

    private final String channel;

    ClientSink(Channel channel) {
        this.channel = channel.name;
    }

    @Override
    public SinkWriter<ReplayOutput> createWriter(WriterInitContext context) {
        Channel target = OPEN.get(channel);
        if (target == null) {
            throw new IllegalStateException("replay output channel " + channel + " is not open in this JVM: "
                    + "an embedded replay's results go to the client that runs it");
        }
        return new SinkWriter<>() {
            @Override
            public void write(ReplayOutput output, Context context) {
                target.accept(output);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }

    /** Where a replay's results go: the client's consumers, called one result at a time, and the alert counts. */
    static final class Channel implements AutoCloseable {
        private final String name = UUID.randomUUID().toString();
        private final Consumer<byte[]> alerts;
        private final Consumer<byte[]> deadLetters;
        private final Map<String, Long> alertsByRule = new TreeMap<>();

        Channel(Consumer<byte[]> alerts, Consumer<byte[]> deadLetters) {
            this.alerts = Objects.requireNonNull(alerts);
            this.deadLetters = Objects.requireNonNull(deadLetters);
            OPEN.put(name, this);
        }

        /** Subtasks write concurrently; the consumers see one result at a time. */
        synchronized void accept(ReplayOutput output) {
            if (output.kind() == ReplayOutput.Kind.ALERT) {
                alertsByRule.merge(output.label(), 1L, Long::sum);
                alerts.accept(output.json());
            } else {
                deadLetters.accept(output.json());
            }
        }

        synchronized Map<String, Long> alertsByRule() {
            return new TreeMap<>(alertsByRule);
        }

        @Override
        public void close() {
            OPEN.remove(name);
        }
    }
}
