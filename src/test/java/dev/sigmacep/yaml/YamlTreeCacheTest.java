package dev.sigmacep.yaml;

import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.sigma.rule.SigmaRule;
import dev.sigmacep.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class YamlTreeCacheTest {
    private static final String RULE = "title: t\nid: 1\nlevel: high\ndate: 2022-10-14\ntags: [a, b]\n"
            + "detection:\n  sel:\n    Count: 12345678901\n    Ratio: 0.5\n    Flag: true\n    Empty: null\n"
            + "    Big: 123456789012345678901234567890\n  condition: sel\n";

    @Test
    void theWholeSigmaHqPackComesBackAsTheParserBuiltIt(@TempDir Path dir) throws IOException {
        List<RuleSource> sources = RuleLoader.readSources(List.of(SharedData.path("data/sigma/rules")));
        Path file = dir.resolve("trees.bin");
        YamlTreeCache first = YamlTreeCache.open(file);
        int cacheable = 0;
        for (RuleSource source : sources) {
            SafeYaml.Documents parsed = SafeYaml.loadAll(source.text());
            assertSameTrees(first.loadAll(source.text()).documents(), parsed.documents(), source.path());
            cacheable += parsed.failure() == null ? 1 : 0;
        }
        assertThat(first.misses()).isEqualTo(sources.size());
        first.save();

        YamlTreeCache second = YamlTreeCache.open(file);
        for (RuleSource source : sources) {
            SafeYaml.Documents cached = second.loadAll(source.text());
            SafeYaml.Documents parsed = SafeYaml.loadAll(source.text());
            assertSameTrees(cached.documents(), parsed.documents(), source.path());
            assertThat(cached.failure() == null).as(source.path()).isEqualTo(parsed.failure() == null);
        }
        assertThat(sources.size()).isGreaterThan(3000);
        assertThat(second.hits()).isEqualTo(cacheable);
        assertThat(second.misses()).isEqualTo(sources.size() - cacheable);
    }

    @Test
    void aRuleLoaderWithTheCacheLoadsTheSamePackAsOneWithout(@TempDir Path dir) throws IOException {
        List<RuleSource> sources = RuleLoader.readSources(List.of(SharedData.path("data/sigma/rules/windows"),
                Path.of("rules")));
        RulePack plain = new RuleLoader(MatchContext.empty(), null).load(sources);
        Path file = dir.resolve("trees.bin");
        new RuleLoader(MatchContext.empty(), YamlTreeCache.open(file)).load(sources); // fills and saves the cache
        YamlTreeCache cache = YamlTreeCache.open(file);
        RulePack cached = new RuleLoader(MatchContext.empty(), cache).load(sources);
        assertThat(cache.misses()).isZero();
        assertThat(cache.hits()).isEqualTo(sources.size());
        assertThat(cached.rules()).hasSameSizeAs(plain.rules()).hasSizeGreaterThan(2000);
        assertThat(cached.rules().stream().map(SigmaRule::id)).containsExactlyElementsOf(
                plain.rules().stream().map(SigmaRule::id).toList());
        assertThat(cached.rules().stream().map(YamlTreeCacheTest::describe)).containsExactlyElementsOf(
                plain.rules().stream().map(YamlTreeCacheTest::describe).toList());
        assertThat(cached.errors()).isEqualTo(plain.errors());
    }

    @Test
    void anEditedTextIsParsedAgainAndAFailureIsNeverKept(@TempDir Path dir) {
        Path file = dir.resolve("trees.bin");
        YamlTreeCache cache = YamlTreeCache.open(file);
        cache.loadAll(RULE);
        cache.loadAll("a: [unclosed\n");
        cache.save();
        YamlTreeCache reopened = YamlTreeCache.open(file);
        assertThat(reopened.loadAll(RULE).documents()).isEqualTo(SafeYaml.loadAll(RULE).documents());
        assertThat(reopened.loadAll(RULE.replace("high", "low")).documents().get(0))
                .isEqualTo(SafeYaml.loadAll(RULE.replace("high", "low")).documents().get(0));
        SafeYaml.Documents broken = reopened.loadAll("a: [unclosed\n");
        assertThat(broken.failure()).isNotNull();
        assertThat(broken.failure().getMessage()).startsWith("invalid YAML");
        assertThat(reopened.hits()).isEqualTo(1);
        assertThat(reopened.misses()).isEqualTo(2);
    }

    @Test
    void aDamagedOrForeignFileIsAnEmptyCacheThatIsWrittenAfresh(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("trees.bin");
        YamlTreeCache cache = YamlTreeCache.open(file);
        cache.loadAll(RULE);
        cache.save();
        byte[] whole = Files.readAllBytes(file);
        List<byte[]> damaged = List.of(Arrays.copyOf(whole, whole.length / 2), Arrays.copyOf(whole, whole.length + 1),
                "not a cache at all".getBytes(), new byte[0], flipped(whole, whole.length - 40));
        for (byte[] bytes : damaged) {
            Files.write(file, bytes);
            YamlTreeCache opened = YamlTreeCache.open(file);
            SafeYaml.Documents loaded = opened.loadAll(RULE);
            assertThat(loaded.documents()).isEqualTo(SafeYaml.loadAll(RULE).documents());
            if (opened.misses() == 1) {
                opened.save();
                assertThat(YamlTreeCache.open(file).loadAll(RULE).documents()).isEqualTo(loaded.documents());
            }
        }
    }

    @Test
    void entriesUnusedForEightSavesAreDropped(@TempDir Path dir) {
        Path file = dir.resolve("trees.bin");
        YamlTreeCache cache = YamlTreeCache.open(file);
        cache.loadAll("old: 1\n");
        cache.save();
        for (int i = 0; i < YamlTreeCache.KEPT_SAVES - 1; i++) {
            YamlTreeCache next = YamlTreeCache.open(file);
            next.loadAll("new: " + i + "\n");
            next.save();
        }
        YamlTreeCache stillThere = YamlTreeCache.open(file);
        stillThere.loadAll("old: 1\n");
        assertThat(stillThere.hits()).isEqualTo(1);

        YamlTreeCache oneMore = YamlTreeCache.open(file);
        oneMore.loadAll("newest: 1\n");
        oneMore.save();
        YamlTreeCache after = YamlTreeCache.open(file);
        after.loadAll("old: 1\n");
        assertThat(after.hits()).isZero();
    }

    @Test
    void aFileThatCannotBeWrittenOnlyCostsTheParse(@TempDir Path dir) throws IOException {
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");
        YamlTreeCache cache = YamlTreeCache.open(notADirectory.resolve("trees.bin"));
        assertThat(cache.loadAll(RULE).documents()).isEqualTo(SafeYaml.loadAll(RULE).documents());
        cache.save();
        assertThat(Files.readString(notADirectory)).isEqualTo("x");
    }

    @Test
    void theCacheIsOnlyUsedWhereThePropertyNamesOne() {
        String before = System.getProperty(YamlTreeCache.PROPERTY);
        try {
            System.clearProperty(YamlTreeCache.PROPERTY);
            assertThat(YamlTreeCache.configured()).isNull();
            System.setProperty(YamlTreeCache.PROPERTY, "");
            assertThat(YamlTreeCache.configured()).isNull();
            System.setProperty(YamlTreeCache.PROPERTY, "bad\u0000name");
            assertThat(YamlTreeCache.configured()).isNull();
        } finally {
            if (before != null) {
                System.setProperty(YamlTreeCache.PROPERTY, before);
            } else {
                System.clearProperty(YamlTreeCache.PROPERTY);
            }
        }
    }

    private static String describe(SigmaRule rule) {
        return String.join("|", rule.id(), String.valueOf(rule.name()), rule.title(), String.valueOf(rule.level()),
                String.valueOf(rule.tags()), String.valueOf(rule.logsource()), String.valueOf(rule.attributes()),
                String.valueOf(rule.detection()));
    }

    private static byte[] flipped(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x5a;
        return copy;
    }

    /** Equal, and of the same classes node by node (an Integer read back as a Long would change a rule). */
    private static void assertSameTrees(Object actual, Object expected, String where) {
        assertThat(actual).as(where).isEqualTo(expected);
        if (expected == null) {
            return;
        }
        assertThat(actual.getClass()).as(where).isEqualTo(expected.getClass());
        if (expected instanceof Map<?, ?> map) {
            Iterator<? extends Map.Entry<?, ?>> got = ((Map<?, ?>) actual).entrySet().iterator();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Map.Entry<?, ?> next = got.next();
                assertThat(next.getKey()).as(where).isEqualTo(entry.getKey());
                assertSameTrees(next.getValue(), entry.getValue(), where + "." + entry.getKey());
            }
        } else if (expected instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                assertSameTrees(((List<?>) actual).get(i), list.get(i), where + "[" + i + "]");
            }
        }
    }
}
