package dev.sigmacep.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code PeerMain <peer> <input.ndjson> [options]}: runs one peer on one file and prints one JSON line to stdout,
 * {@code {"name":...,"events":...,"matches":...,"seconds":...,"eps":...,"note":...}}. Progress goes to stderr.
 * <pre>
 *   peers: esper_chain siddhi_chain flinksql_chain bare_flinkcep_chain handwritten_chain
 *   --repeat N                 timed runs after the warm-up (default 1); seconds is their median
 *   --warmup N                 warm-up run on the first N events (default: all of them; 0: none)
 *   --esper-mode M             filter (key = a.key filters, default: the fastest) or context (keyed context per key)
 *   --no-prefilter             Flink peers: feed background into CEP / MATCH_RECOGNIZE / the function
 *   --out-of-orderness-ms N    Flink peers: watermark bound (default 120000, the project's default)
 * </pre>
 * Reading, classifying and time-sorting the input happen before any timing and are not measured.
 */
public final class PeerMain {
    public static final List<String> PEERS =
            List.of("esper_chain", "siddhi_chain", "flinksql_chain", "bare_flinkcep_chain", "handwritten_chain");

    /** Options shared by the peers. */
    public record Options(String esperMode, boolean prefilter, Duration outOfOrderness) {
        public static Options defaults() {
            return new Options("filter", true, Duration.ofMinutes(2));
        }
    }

    private PeerMain() {
    }

    public static Peer create(String name, Options options) {
        return switch (name) {
            case "esper_chain" -> new EsperChain(options.esperMode());
            case "siddhi_chain" -> new SiddhiChain();
            case "flinksql_chain" -> new FlinkSqlChain(options.prefilter(), options.outOfOrderness());
            case "bare_flinkcep_chain" -> new BareFlinkCepChain(options.prefilter(), options.outOfOrderness());
            case "handwritten_chain" -> new HandwrittenChain(options.prefilter(), options.outOfOrderness());
            default -> throw new IllegalArgumentException("unknown peer " + name + "; one of " + PEERS);
        };
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PeerMain <peer> <input.ndjson> [--repeat N] [--warmup N] "
                    + "[--esper-mode context|filter] [--no-prefilter] [--out-of-orderness-ms N]\n  peers: " + PEERS);
            System.exit(2);
        }
        String peerName = args[0];
        Path file = Path.of(args[1]);
        int repeat = 1;
        int warmup = -1;
        Options options = Options.defaults();
        String esperMode = options.esperMode();
        boolean prefilter = options.prefilter();
        Duration outOfOrderness = options.outOfOrderness();
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--esper-mode" -> esperMode = args[++i];
                case "--no-prefilter" -> prefilter = false;
                case "--out-of-orderness-ms" -> outOfOrderness = Duration.ofMillis(Long.parseLong(args[++i]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1");
        options = new Options(esperMode, prefilter, outOfOrderness);

        long readStart = System.nanoTime();
        ChainEvent[] events = ChainInput.read(file);
        String stats = stats(events);
        System.err.printf(Locale.ROOT, "%s: read %s in %.1f s (%s)%n", peerName, file,
                (System.nanoTime() - readStart) / 1e9, stats);

        try (Peer peer = create(peerName, options)) {
            peer.open();
            if (warmup != 0) {
                ChainEvent[] prefix = warmup < 0 || warmup >= events.length ? events : Arrays.copyOf(events, warmup);
                Peer.Run run = peer.run(prefix);
                System.err.printf(Locale.ROOT, "%s: warm-up on %d events: %d matches in %.3f s%n",
                        peerName, prefix.length, run.matches(), run.seconds());
            }
            List<Peer.Run> runs = new ArrayList<>();
            for (int r = 0; r < repeat; r++) {
                Peer.Run run = peer.run(events);
                System.err.printf(Locale.ROOT, "%s: run %d: %d matches in %.3f s%n",
                        peerName, r + 1, run.matches(), run.seconds());
                if (!runs.isEmpty() && runs.get(0).matches() != run.matches()) {
                    throw new IllegalStateException("runs disagree: " + runs.get(0).matches() + " vs " + run.matches());
                }
                runs.add(run);
            }
            double[] seconds = runs.stream().mapToDouble(Peer.Run::seconds).sorted().toArray();
            double median = seconds.length % 2 == 1 ? seconds[seconds.length / 2]
                    : (seconds[seconds.length / 2 - 1] + seconds[seconds.length / 2]) / 2;
            String note = peer.note() + "; input parsed, classified and sorted by event time before timing ("
                    + stats + "); warm-up: " + (warmup == 0 ? "none" : warmup < 0 ? "one full run" : warmup + " events")
                    + "; seconds: median of " + runs.size()
                    + (runs.size() > 1 ? " " + Arrays.toString(runs.stream().mapToDouble(Peer.Run::seconds).toArray()) : "");
            System.out.println(json(peer.name(), events.length, runs.get(0).matches(), median, note));
        }
        System.exit(0); // mini cluster and Siddhi threads
    }

    static String stats(ChainEvent[] events) {
        Set<String> hosts = new HashSet<>();
        Set<String> keys = new HashSet<>();
        int[] kinds = new int[4];
        for (ChainEvent e : events) {
            kinds[e.kind]++;
            hosts.add(e.key.substring(0, e.key.indexOf('|')));
            if (e.kind != ChainEvent.NONE) keys.add(e.key);
        }
        return String.format(Locale.ROOT, "hosts=%d, A=%d B=%d C=%d background=%d, chain keys=%d",
                hosts.size(), kinds[1], kinds[2], kinds[3], kinds[0], keys.size());
    }

    static String json(String name, long events, long matches, double seconds, String note) {
        return String.format(Locale.ROOT,
                "{\"name\":\"%s\",\"events\":%d,\"matches\":%d,\"seconds\":%.3f,\"eps\":%.1f,\"note\":\"%s\"}",
                escape(name), events, matches, seconds, events / seconds, escape(note));
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }
}
