package dev.sigmacep.sigma.route;

import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.job.TelemetryStreams;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.CompiledRule;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prefilter and the remembered results change no result: on real events, {@link CompiledRulePack#match}
 * reports exactly the rules that brute-force evaluation of every routed rule reports, with the whole SigmaHQ
 * {@code rules/windows} pack and the project's rules. Brute force sees a copy of each event made of new Strings,
 * so that no result remembered for a value (found by identity) and no interned field name serves it.
 */
class PrefilterDifferentialTest {
    private static final String DATASETS = "data/telemetry/security-datasets/";
    private static final String CAMPAIGNS = DATASETS + "archives/datasets/compound/";
    private static CompiledRulePack pack;
    private static List<CompiledRule> compiled;

    @BeforeAll
    static void compile() throws IOException {
        RulePack rules = new RuleLoader(MatchContext.empty()).load(RuleLoader.readSources(List.of(
                SharedData.path("data/sigma/rules/windows"), Path.of("rules"))));
        long start = System.nanoTime();
        compiled = rules.compiled();
        pack = CompiledRulePack.compile(compiled);
        System.out.printf("%d rules compiled in %d ms%n", pack.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void sysmonProcessAndNetworkEventsMatchAsWithoutPrefilter() {
        assertSameMatches(files(SharedData.path(DATASETS + "sysmon_eid1_eid3_only"), ".jsonl"), 9_000);
    }

    @Test
    void werEventsAndTheWinlogbeatSetMatchAsWithoutPrefilter() {
        List<Path> files = new ArrayList<>(files(SharedData.path(DATASETS + "wer_related"), ".jsonl"));
        files.addAll(files(SharedData.path(DATASETS + "full"), ".json.gz"));
        assertSameMatches(files, 3_000);
    }

    @Test
    void campaignEventsMatchAsWithoutPrefilter() {
        assertSameMatches(List.of(SharedData.path(CAMPAIGNS
                + "LSASS_campaign_05/metasploit_sharpdump_lsass_memory_dump.zip")), 59_000);
    }

    @Test
    @Tag("slow")
    void allSevenCampaignsMatchAsWithoutPrefilter() {
        assertSameMatches(files(SharedData.path(CAMPAIGNS), ".zip"), 350_000);
    }

    /** @param minimumEvents guards against a decoder or path change silently emptying the comparison */
    private static void assertSameMatches(List<Path> files, int minimumEvents) {
        long events = 0;
        long matches = 0;
        long evaluatedByBruteForce = 0;
        List<Integer> expected = new ArrayList<>();
        List<Integer> actual = new ArrayList<>();
        for (Path file : files) {
            for (Event event : decode(file)) {
                expected.clear();
                actual.clear();
                Event fresh = freshCopy(event);
                for (int index : pack.candidates(event)) {
                    if (compiled.get(index).matches(fresh)) {
                        expected.add(index);
                    }
                }
                pack.match(event, actual::add);
                assertThat(actual).as("rules matching %s", event).isEqualTo(expected);
                events++;
                matches += expected.size();
                evaluatedByBruteForce += pack.candidates(event).length;
            }
        }
        System.out.printf("%d files, %d events, %d rule evaluations compared, %d matches%n",
                files.size(), events, evaluatedByBruteForce, matches);
        assertThat(events).isGreaterThanOrEqualTo(minimumEvents);
        assertThat(matches).isPositive();
    }

    private static Event freshCopy(Event event) {
        Map<String, Object> fields = new HashMap<>();
        event.fields().forEach((name, value) -> fields.put(new String(name), fresh(value)));
        return new Event(fields, event.host(), event.timeMicros(), event.format(), event.raw());
    }

    private static Object fresh(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(PrefilterDifferentialTest::fresh).toList();
        }
        return value instanceof String text ? new String(text) : value;
    }

    private static List<Path> files(Path folder, String suffix) {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Event> decode(Path file) {
        List<Event> decoded = new ArrayList<>();
        try {
            TelemetryStreams.decode(file, EventDecoder.DEFAULT_MAX_RECORD_CHARS, result -> {
                if (result.event() != null) {
                    decoded.add(result.event());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return decoded;
    }
}
