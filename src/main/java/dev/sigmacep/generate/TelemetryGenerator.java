package dev.sigmacep.generate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Seeded fleet telemetry in the flat Sysmon shape (NXLog / Security-Datasets), with injected Windows Error
 * Reporting masquerading chains and the chain alerts they must produce.
 * <ul>
 *   <li>Every host runs one masquerading instance: {@code wermgr.exe} or {@code WerFault.exe} started without
 *       arguments, then 5 s later an outbound connection by that process; with probability {@code chainRate} that
 *       process also spawns a child shell (within the next 10 minutes).</li>
 *   <li>The rest of the requested events is background spread over the hosts: ordinary process starts, WER started
 *       with arguments (which connects out too, as the real one uploads reports), connections, image loads, file
 *       and registry events. Background never forms a chain.</li>
 *   <li>Times span {@code span} from {@code start}; with {@code disorder} &gt; 0 each record is emitted up to that
 *       long after its event time, so output order is shuffled within that bound.</li>
 * </ul>
 * The same settings give the same records, byte for byte.
 */
public final class TelemetryGenerator {
    public static final Duration CONNECT_DELAY = Duration.ofSeconds(5);
    private static final long CHILD_DELAY_MIN_MS = 10_000;
    private static final long CHILD_DELAY_RANGE_MS = 590_000;

    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    /** What to generate. */
    public record Settings(int hosts, long events, double chainRate, Duration disorder, long seed, Instant start,
                           Duration span) {
        public Settings {
            if (hosts < 1) throw new IllegalArgumentException("--hosts must be at least 1, got " + hosts);
            if (chainRate < 0 || chainRate > 1) {
                throw new IllegalArgumentException("--chain-rate must be between 0 and 1, got " + chainRate);
            }
            if (events < 2L * hosts) {
                throw new IllegalArgumentException("--events must be at least 2 per host (" + 2L * hosts
                        + " for " + hosts + " hosts: a start and a connection each), got " + events);
            }
            if (disorder.isNegative()) throw new IllegalArgumentException("--disorder must not be negative");
            if (span.isNegative() || span.isZero()) throw new IllegalArgumentException("the time span must be positive");
        }
    }

    /** One generated record: the host, its event time and its JSON text (one line). */
    public record Record(String host, long timeMillis, String json) {
    }

    /** A correlation alert the generated chains must produce (flagship rule name, host, WER process, times). */
    public record ExpectedAlert(String ruleName, String host, String processGuid, long firstMillis, long lastMillis) {
    }

    private enum Kind { WER_START, WER_CONNECT, WER_CHILD, BACKGROUND }

    private final Settings settings;
    private final String[] hostNames;
    private final long[] emitAt;
    private final long[] timeMillis;
    private final int[] host;
    private final byte[] kind;
    private final int[] chainChildren;
    private int count;

    public TelemetryGenerator(Settings settings) {
        this.settings = settings;
        this.hostNames = new String[settings.hosts()];
        for (int h = 0; h < hostNames.length; h++) {
            hostNames[h] = String.format("WKS-%06d", h);
        }
        if (settings.events() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--events above " + (Integer.MAX_VALUE - 8) + " is not supported");
        }
        int total = (int) settings.events();
        emitAt = new long[total];
        timeMillis = new long[total];
        host = new int[total];
        kind = new byte[total];
        chainChildren = new int[settings.hosts()];
        plan();
    }

    /** Lays out every record's host, kind and time, then sorts them into emission order. */
    private void plan() {
        SplittableRandom random = new SplittableRandom(settings.seed());
        long start = settings.start().toEpochMilli();
        long spanMs = settings.span().toMillis();
        long chainSpanMs = Math.max(1, spanMs - CONNECT_DELAY.toMillis() - CHILD_DELAY_MIN_MS - CHILD_DELAY_RANGE_MS);
        long remaining = settings.events();
        for (int h = 0; h < settings.hosts(); h++) {
            long t = start + random.nextLong(chainSpanMs);
            add(h, Kind.WER_START, t);
            add(h, Kind.WER_CONNECT, t + CONNECT_DELAY.toMillis());
            remaining -= 2;
            if (remaining > 0 && random.nextDouble() < settings.chainRate()) {
                add(h, Kind.WER_CHILD, t + CONNECT_DELAY.toMillis() + CHILD_DELAY_MIN_MS
                        + random.nextLong(CHILD_DELAY_RANGE_MS));
                chainChildren[h] = 1;
                remaining--;
            }
        }
        for (long i = 0; i < remaining; i++) {
            add(random.nextInt(settings.hosts()), Kind.BACKGROUND, start + random.nextLong(spanMs));
        }
        long disorderMs = settings.disorder().toMillis();
        for (int i = 0; i < count; i++) {
            emitAt[i] = timeMillis[i] + (disorderMs > 0 ? random.nextLong(disorderMs + 1) : 0);
        }
        sortByEmission();
    }

    private void add(int h, Kind k, long t) {
        host[count] = h;
        kind[count] = (byte) k.ordinal();
        timeMillis[count] = t;
        count++;
    }

    private void sortByEmission() {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) order[i] = i;
        // ties keep generation order, so the result depends only on the settings
        java.util.Arrays.sort(order, (a, b) -> a.equals(b) ? 0
                : emitAt[a] != emitAt[b] ? Long.compare(emitAt[a], emitAt[b]) : Integer.compare(a, b));
        long[] e = emitAt.clone(), t = timeMillis.clone();
        int[] hs = host.clone();
        byte[] ks = kind.clone();
        for (int i = 0; i < count; i++) {
            int from = order[i];
            emitAt[i] = e[from];
            timeMillis[i] = t[from];
            host[i] = hs[from];
            kind[i] = ks[from];
        }
    }

    /** How many records {@link #forEach} emits. */
    public int size() {
        return count;
    }

    /** Emits every record in emission order. */
    public void forEach(Consumer<Record> sink) {
        // record contents come from a second stream of randomness, so the layout above stays independent of them
        Random details = new Random(settings.seed() ^ 0x5DEECE66DL);
        for (int i = 0; i < count; i++) {
            int h = host[i];
            long t = timeMillis[i];
            String json = switch (Kind.values()[kind[i]]) {
                case WER_START -> SysmonRecords.processStart(hostNames[h], t, werProcess(h), werImage(h),
                        quotedIfOdd(h, werImage(h)), loaderProcess(h), LOADER, "\"" + LOADER + "\" /s", details);
                case WER_CONNECT -> SysmonRecords.connection(hostNames[h], t, werProcess(h), werImage(h),
                        "203.0." + (113 + h % 2) + "." + (1 + h % 250), 443, details);
                case WER_CHILD -> SysmonRecords.processStart(hostNames[h], t, childProcess(h), CMD, "\"" + CMD + "\"",
                        werProcess(h), werImage(h), quotedIfOdd(h, werImage(h)), details);
                case BACKGROUND -> Background.record(hostNames[h], h, t, i, details);
            };
            sink.accept(new Record(hostNames[h], t, json));
        }
    }

    /** The correlation alerts of the flagship rules that the injected chains must produce, by host. */
    public List<ExpectedAlert> expectedAlerts() {
        long[] startTime = new long[settings.hosts()];
        long[] childTime = new long[settings.hosts()];
        for (int i = 0; i < count; i++) {
            if (kind[i] == Kind.WER_START.ordinal()) startTime[host[i]] = timeMillis[i];
            if (kind[i] == Kind.WER_CHILD.ordinal()) childTime[host[i]] = timeMillis[i];
        }
        List<ExpectedAlert> expected = new ArrayList<>();
        for (int h = 0; h < settings.hosts(); h++) {
            long connected = startTime[h] + CONNECT_DELAY.toMillis();
            expected.add(new ExpectedAlert("wer_masquerade_netconn", hostNames[h], werProcess(h), startTime[h], connected));
            if (chainChildren[h] == 1) {
                expected.add(new ExpectedAlert("wer_masquerade_chain", hostNames[h], werProcess(h), startTime[h], childTime[h]));
            }
        }
        return expected;
    }

    private static final String LOADER = "C:\\Users\\Public\\Downloads\\update.exe";
    private static final String CMD = "C:\\Windows\\System32\\cmd.exe";

    private static String werImage(int h) {
        return h % 3 == 0 ? "C:\\Windows\\System32\\WerFault.exe" : "C:\\Windows\\System32\\wermgr.exe";
    }

    /** A no-argument command line, quoted for every other host: both forms count as no arguments. */
    private static String quotedIfOdd(int h, String image) {
        return h % 2 == 1 ? "\"" + image + "\"" : image;
    }

    static String werProcess(int h) { return guid(h, 0x0E01); }

    private static String loaderProcess(int h) { return guid(h, 0x0E00); }

    private static String childProcess(int h) { return guid(h, 0x0E02); }

    /** A Sysmon-looking process GUID, unique per host and slot. */
    static String guid(int h, int slot) {
        return String.format("{%08x-%04x-65f0-%04x-%012x}", 0x3e91c0d7 ^ (h * 0x9E3779B1), h & 0xffff, slot, (long) h);
    }

    /** A process GUID of background activity: never equal to a chain's (another middle group). */
    static String backgroundGuid(int h, int sequence) {
        return String.format("{%08x-%04x-65f1-%04x-%012x}", 0x3e91c0d7 ^ (h * 0x9E3779B1), sequence >>> 16,
                sequence & 0xffff, (long) h);
    }

    static String utcTime(long millis) {
        return UTC_TIME.format(Instant.ofEpochMilli(millis));
    }

    /** Writes one JSON object with Jackson, so every value is escaped correctly. */
    static String json(JsonWriter body) {
        StringWriter out = new StringWriter(2048);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.writeStartObject();
            body.write(generator);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @FunctionalInterface
    interface JsonWriter {
        void write(JsonGenerator generator) throws IOException;
    }
}
