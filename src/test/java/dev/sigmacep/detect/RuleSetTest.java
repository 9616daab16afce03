package dev.sigmacep.detect;

import dev.sigmacep.sigma.rule.RuleSource;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import dev.sigmacep.sigma.match.MatchContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleSetTest {

    @Test
    void serializationKeepsEveryTextAndTheModelItCompilesTo() throws Exception {
        RuleSet rules = RuleSet.fromFiles(List.of(Path.of("rules")), null);
        RuleSet copy = InstantiationUtil.clone(rules);

        assertEquals(rules.sources(), copy.sources());
        assertEquals(rules.context(), copy.context());
        // an equal rule set is the same model in one JVM (the client and the subtasks share it)
        assertTrue(rules.model() == copy.model());
    }

    @Test
    void textsOutsideAsciiAndEmptyTextsComeBackAsTheyWere() throws Exception {
        RuleSet rules = new RuleSet(List.of(new RuleSource("rules/ü.yml", "title: ÄÖÜ ß 日本 \uD83D\uDE00\n"),
                new RuleSource("", "")), MatchContext.empty());
        RuleSet copy = InstantiationUtil.clone(rules);

        assertEquals(rules.sources(), copy.sources());
    }

    @Test
    void travelsAsOneArrayOfUtf8AndACutStreamFails() throws Exception {
        RuleSet rules = RuleSet.fromFiles(List.of(Path.of("rules")), null);
        byte[] serialized = InstantiationUtil.serializeObject(rules);
        String written = new String(serialized, StandardCharsets.ISO_8859_1);
        assertTrue(written.contains("RuleSet$SerializedForm"), "the stream names the serialized form");
        assertFalse(written.contains("dev.sigmacep.sigma.rule.RuleSource"), "no RuleSource objects in the stream");
        long textBytes = rules.sources().stream()
                .mapToLong(source -> source.text().getBytes(StandardCharsets.UTF_8).length).sum();
        assertTrue(serialized.length < textBytes + 64 * rules.sources().size() + 4096,
                serialized.length + " bytes for " + textBytes + " bytes of rule text");

        byte[] cut = Arrays.copyOf(serialized, serialized.length - 100);
        assertThrows(IOException.class, () -> InstantiationUtil.deserializeObject(cut, getClass().getClassLoader()));
    }
}
