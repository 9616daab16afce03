package dev.sigmacep.job;

import dev.sigmacep.detect.RuleSet;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.AlertCounts;
import dev.sigmacep.testing.HostileRecords;
import dev.sigmacep.testing.HostileRecords.Kind;
import dev.sigmacep.testing.Lines;
import dev.sigmacep.testing.Replays;
import dev.sigmacep.testing.SharedData;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-records suite, run at two sizes ({@link HostileRecordsReplayTest}, {@link HostileRecordsSlowTest}):
 * {@link HostileRecords} mixed into real Security-Datasets telemetry, then
 * <ol>
 * <li>the file decoded record by record as a replay frames it: every real line an event, every hostile one the
 * outcome its kind says (the exact reason where it is determinate);</li>
 * <li>the file replayed on the mini cluster beside a clean run of the real lines alone, with our rules and SigmaHQ's
 * Windows pack: the replay does not fail, records read = lines, the dead letters are those of step 1 reason for
 * reason, and the real hosts' alerts are exactly the clean run's.</li>
 * </ol>
 */
final class HostileRecordsSuite {
    private HostileRecordsSuite() {
    }

    /** What the suite measured, for the caller's own assertions. */
    record Outcome(Map<Kind, Integer> written, Map<String, Integer> hostileHostAlerts, long peakHeapBytes) {
    }

    static Outcome run(Path dir, List<Path> realFiles, int hostile, int huge, int hugeBytes) throws Exception {
        List<String> real = new ArrayList<>();
        for (Path file : realFiles) real.addAll(Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank()).toList());
        Path clean = dir.resolve("clean.ndjson");
        Files.write(clean, real, StandardCharsets.UTF_8);
        Path mixed = dir.resolve("mixed.ndjson");
        List<HostileRecords.Line> lines;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(mixed), 1 << 16)) {
            lines = new HostileRecords(20240312L, real, EventDecoder.DEFAULT_MAX_RECORD_CHARS).write(out, hostile, huge, hugeBytes);
        }
        Map<Kind, Integer> written = new EnumMap<>(Kind.class);
        lines.stream().filter(l -> l.kind() != null).forEach(l -> written.merge(l.kind(), 1, Integer::sum));
        assertThat(written.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(hostile);
        assertThat(written.get(Kind.HUGE_STRING)).isEqualTo(huge);

        Map<String, Integer> reasons = decodeOneByOne(mixed, lines);

        RuleSet rules = new RuleSet(RuleLoader.readSources(List.of(Path.of("rules"),
                SharedData.path("data/sigma/rules/windows"))), MatchContext.empty());
        JobSettings settings = JobSettings.builder().parallelism(2).build();
        List<String> cleanAlerts = new ArrayList<>();
        List<String> cleanDead = new ArrayList<>();
        Replay.Result cleanRun = Replays.batch(settings, rules).run(List.of(clean), Lines.into(cleanAlerts), Lines.into(cleanDead));
        assertThat(cleanRun.deadLetters()).isZero();
        assertThat(cleanRun.events()).isEqualTo(real.size());
        assertThat(cleanAlerts).isNotEmpty(); // else "the same alerts" would prove nothing

        resetPeakHeap();
        List<String> alerts = new ArrayList<>();
        List<String> dead = new ArrayList<>();
        Replay.Result run = Replays.batch(settings, rules).run(List.of(mixed), Lines.into(alerts), Lines.into(dead));
        long peakHeap = peakHeap();

        assertThat(run.recordsRead()).isEqualTo(lines.size());
        long decodable = written.entrySet().stream().filter(e -> e.getKey().decodes()).mapToLong(Map.Entry::getValue).sum();
        assertThat(run.events()).isEqualTo(real.size() + decodable);
        assertThat(run.deadLetters()).isEqualTo(hostile - decodable);
        Map<String, Integer> replayReasons = new TreeMap<>();
        for (String line : dead) replayReasons.merge(AlertCounts.parse(line).get("reason").asText(), 1, Integer::sum);
        assertThat(replayReasons).isEqualTo(reasons);

        List<String> realHostAlerts = new ArrayList<>();
        List<String> hostileHostAlerts = new ArrayList<>();
        for (String alert : alerts) {
            String host = AlertCounts.parse(alert).get("host").asText();
            (host.startsWith("hostile-") || host.matches("\\d+") ? hostileHostAlerts : realHostAlerts).add(alert);
        }
        realHostAlerts.sort(null);
        cleanAlerts.sort(null);
        assertThat(realHostAlerts).isEqualTo(cleanAlerts);
        Map<String, Integer> hostileByRule = new TreeMap<>();
        for (String alert : hostileHostAlerts) {
            var node = AlertCounts.parse(alert);
            hostileByRule.merge(node.get("rule_name").isNull() ? node.get("rule_title").asText()
                    : node.get("rule_name").asText(), 1, Integer::sum);
        }
        System.out.printf("hostile suite: %,d real + %,d hostile lines %s; dead letters %,d; events %,d; alerts %,d"
                        + " (clean run %,d); alerts on hostile hosts %s; peak heap %,d MB%n",
                real.size(), hostile, written, run.deadLetters(), run.events(), alerts.size(), cleanAlerts.size(),
                hostileByRule, peakHeap >> 20);
        checkHostileHostAlerts(written, hostileByRule);
        return new Outcome(written, hostileByRule, peakHeap);
    }

    /**
     * The alerts on the hostile records' own hosts, at any size: the duplicate-key records whose last Image is a WER
     * start without arguments (every other one, the first included) alert as one; so does the look-alike path whose
     * file name really is wermgr.exe, in a folder that only looks like System32, which SigmaHQ also flags for its
     * location; a number for an Image is a file name without a folder for SigmaHQ's "non-existing file". The other
     * look-alikes (Cyrillic or fullwidth letters, a zero-width space) never pass for wermgr.exe: SigmaHQ flags them
     * for homoglyphs or an odd extension instead.
     */
    private static void checkHostileHostAlerts(Map<Kind, Integer> written, Map<String, Integer> alerts) {
        assertThat(alerts.keySet()).containsExactlyInAnyOrder("wer_noargs_start",
                "Suspicious Execution Location Of Wermgr.EXE", "Execution Of Non-Existing File",
                "Potential Homoglyph Attack Using Lookalike Characters", "Execution of Suspicious File Type Extension");
        assertThat(alerts.get("wer_noargs_start")).isEqualTo((written.get(Kind.DUPLICATE_KEYS) + 1) / 2
                + alerts.get("Suspicious Execution Location Of Wermgr.EXE"));
        assertThat(alerts.get("Execution Of Non-Existing File")).isEqualTo(written.get(Kind.NUMBERS_FOR_STRINGS));
        assertThat(alerts.get("Suspicious Execution Location Of Wermgr.EXE") + alerts.get("Potential Homoglyph Attack Using Lookalike Characters"))
                .isLessThanOrEqualTo(written.get(Kind.LOOKALIKE_PATH));
    }

    /** Decodes the file as a replay frames it, checks each line's outcome, and counts the dead letters' reasons. */
    private static Map<String, Integer> decodeOneByOne(Path file, List<HostileRecords.Line> lines) throws IOException {
        List<DecodeResult> results = new ArrayList<>(lines.size());
        TelemetryStreams.decode(file, EventDecoder.DEFAULT_MAX_RECORD_CHARS, results::add);
        assertThat(results).hasSize(lines.size());
        Map<String, Integer> reasons = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            HostileRecords.Line line = lines.get(i);
            DecodeResult result = results.get(i);
            if (line.kind() == null || line.kind().decodes()) {
                assertThat(result.deadLetter()).as("line %d (%s)", i, line.kind()).isNull();
                if (line.kind() != null) checkDecoded(line.kind(), result);
                continue;
            }
            assertThat(result.deadLetter()).as("line %d (%s)", i, line.kind()).isNotNull();
            String reason = result.deadLetter().reason();
            assertThat(reason).as("line %d", i).startsWith(line.kind().reasonPrefix).hasSizeLessThan(260);
            if (line.exactReason() != null) assertThat(reason).as("line %d", i).isEqualTo(line.exactReason());
            // a record over the limit is kept up to the limit, not whole
            assertThat(result.deadLetter().raw().length()).isLessThanOrEqualTo(EventDecoder.DEFAULT_MAX_RECORD_CHARS);
            reasons.merge(reason, 1, Integer::sum);
        }
        return reasons;
    }

    /** What a record of an odd but valid kind decodes to. */
    private static void checkDecoded(Kind kind, DecodeResult result) {
        var event = result.event();
        switch (kind) {
            case ABSURD_TIME -> assertThat(event.timeMicros()).isIn(-11_644_473_600_000_000L, 253_402_300_799_999_000L,
                    0L, -62_135_596_800_000_000L);
            case NUMBERS_FOR_STRINGS -> {
                assertThat(event.field("Image")).isEqualTo("12345");
                assertThat(event.field("CommandLine")).isEqualTo("1.5E300");
                assertThat(event.host()).matches("\\d+");
            }
            case STRING_FOR_EVENT_ID -> assertThat(event.field("EventID")).isEqualTo(1);
            case DUPLICATE_KEYS -> assertThat(event.field("Image")).isIn(HostileRecords.WERMGR, "C:\\Windows\\notepad.exe");
            case LOOKALIKE_PATH -> assertThat((String) event.field("Image")).isNotEqualTo(HostileRecords.WERMGR)
                    .isEqualToIgnoringCase(AlertCounts.parse(event.raw()).get("Image").asText());
            default -> throw new IllegalStateException(kind + " does not decode");
        }
    }

    private static void resetPeakHeap() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }

    static List<Path> telemetry(String under) throws IOException {
        try (var walk = Files.walk(SharedData.path(under))) {
            return walk.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
    }
}
