package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.SigmaRuleException;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every detection entry of the shared SigmaHQ rule pack compiles; the only rejections are placeholders that the
 * (empty) placeholder configuration cannot expand. Skipped when the shared data is absent.
 */
class SigmaHqRulePackTest {

    @Test
    void everyDetectionEntryOfTheRulePackCompiles() throws IOException {
        Path sigma = Path.of(System.getProperty("sigmacep.shared", "../shared"), "data", "sigma");
        assumeTrue(Files.isDirectory(sigma), "no SigmaHQ rule pack at " + sigma);
        List<String> rejections = new ArrayList<>();
        int entries = 0;
        try (Stream<Path> files = Files.walk(sigma)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                for (Object document : new Yaml(new LoaderOptions()).loadAll(Files.readString(file))) {
                    entries += compileDetection(file, document, rejections);
                }
            }
        }
        assertThat(entries).isGreaterThan(10_000);
        assertThat(rejections).allMatch(reason -> reason.contains("has no value in the placeholder configuration"));
    }

    private static int compileDetection(Path file, Object document, List<String> rejections) {
        if (!(document instanceof Map<?, ?> rule) || !(rule.get("detection") instanceof Map<?, ?> detection)) {
            return 0;
        }
        int entries = 0;
        for (Map.Entry<?, ?> search : detection.entrySet()) {
            if (search.getKey().equals("condition") || search.getKey().equals("timeframe")) {
                continue;
            }
            List<?> items = search.getValue() instanceof List<?> list ? list : List.of(search.getValue());
            List<Object> keywords = new ArrayList<>();
            for (Object item : items) {
                if (item instanceof Map<?, ?> map) {
                    for (Map.Entry<?, ?> entry : map.entrySet()) {
                        entries++;
                        compile(file, String.valueOf(entry.getKey()), entry.getValue(), rejections);
                    }
                } else {
                    keywords.add(item);
                }
            }
            if (!keywords.isEmpty()) {
                entries++;
                compile(file, "", keywords, rejections);
            }
        }
        return entries;
    }

    private static void compile(Path file, String fieldSpec, Object value, List<String> rejections) {
        try {
            TestEvent.compile(fieldSpec, value, MatchContext.empty());
        } catch (SigmaRuleException e) {
            rejections.add(file + ": " + e.getMessage());
        }
    }
}
