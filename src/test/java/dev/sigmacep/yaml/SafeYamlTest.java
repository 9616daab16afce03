package dev.sigmacep.yaml;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SafeYamlTest {

    private static SafeYaml.Documents load(String text) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> SafeYaml.loadAll(text));
    }

    @Test
    void loadsSeveralDocumentsAndKeepsDatesAsWritten() {
        SafeYaml.Documents loaded = load("title: a\ndate: 2022-10-14\nmodified: 2024/08/29\n---\ntitle: b\n---\n");
        assertThat(loaded.failure()).isNull();
        assertThat(loaded.documents()).containsExactly(
                Map.of("title", "a", "date", "2022-10-14", "modified", "2024/08/29"), Map.of("title", "b"));
    }

    @Test
    void keepsScalarTypesAndKeyOrder() {
        Map<?, ?> document = (Map<?, ?>) load("b: 1\na: [x, 2, 3.5, true, null]\nc: 12345678901\n"
                + "d: 123456789012345678901234567890\n").documents().get(0);
        assertThat(List.copyOf(document.keySet())).isEqualTo(List.of("b", "a", "c", "d"));
        assertThat(document.get("d")).isEqualTo("123456789012345678901234567890");
        assertThat(document.get("a")).isEqualTo(Arrays.asList("x", 2, 3.5, true, null));
        assertThat(document.get("c")).isEqualTo(12345678901L);
    }

    @Test
    void invalidYamlNamesTheProblemAndPlace() {
        SafeYaml.Documents loaded = load("title: a\ndetection: [unclosed\n");
        assertThat(loaded.failure()).hasMessageStartingWith("invalid YAML: ").hasMessageContaining("line 3");
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThat(load("title: a\ntitle: b\n").failure()).hasMessageContaining("found duplicate key title");
    }

    @Test
    void billionLaughsIsRejectedQuickly() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            String previous = "*" + (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [")
                    .append(String.join(",", Collections.nCopies(9, previous))).append("]\n");
        }
        assertThat(load(bomb.toString()).failure())
                .hasMessageContaining("Number of aliases for non-scalar nodes exceeds the specified max=50");
    }

    @Test
    void aliasExplosionWithinTheAliasLimitHitsTheNodeBudget() {
        // 24 levels of two aliases each (48 < 50 aliases) would expand to 2^24 leaves
        StringBuilder doubling = new StringBuilder("l0: &l0 [x, x]\n");
        for (int i = 1; i <= 24; i++) {
            doubling.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1)
                    .append(", *l").append(i - 1).append("]\n");
        }
        assertThat(load(doubling.toString()).failure())
                .hasMessage("YAML rejected: the document expands to more than 200000 nodes (alias explosion?)");
    }

    @Test
    void aliasedLongStringsHitTheCharacterBudget() {
        String text = "a: &a '" + "x".repeat(60_000) + "'\nb: [" + String.join(",", Collections.nCopies(1000, "*a")) + "]\n";
        assertThat(load(text).failure())
                .hasMessage("YAML rejected: the document expands to more than 8388608 characters (aliased strings?)");
    }

    @Test
    void hugeScalarsAndDeepNestingAndHugeInputAreRejected() {
        assertThat(load("title: " + "x".repeat(1 << 20) + "\n").failure())
                .hasMessage("YAML rejected: the value at 'title' is 1048576 characters long, more than the 65536 allowed");
        assertThat(load("a: " + "[".repeat(10_000) + "]".repeat(10_000)).failure())
                .hasMessageContaining("Nesting Depth exceeded max 64");
        assertThat(load("#".repeat(SafeYaml.MAX_CODE_POINTS + 1)).failure())
                .hasMessageContaining("more than the 8388608 allowed");
    }

    @Test
    void javaObjectTagsAreNotConstructed() {
        assertThat(load("a: !!javax.script.ScriptEngineManager [x]\n").failure())
                .hasMessageStartingWith("invalid YAML: ").hasMessageContaining("ScriptEngineManager");
    }

    @Test
    void aFailureKeepsTheDocumentsBeforeIt() {
        SafeYaml.Documents loaded = load("title: a\n---\ntitle: [b\n");
        assertThat(loaded.documents()).containsExactly(Map.of("title", "a"));
        assertThat(loaded.failure()).isNotNull();
    }

    @Test
    void loadOneAcceptsAtMostOneDocument() throws Exception {
        assertThat(SafeYaml.loadOne("a: 1")).isEqualTo(Map.of("a", 1));
        assertThat(SafeYaml.loadOne("# nothing but a comment\n")).isNull();
        assertThatThrownBy(() -> SafeYaml.loadOne("a: 1\n---\nb: 2"))
                .isInstanceOf(RejectedYamlException.class).hasMessage("expected one YAML document, found 2");
    }

    @Test
    void keysThatBecomeTheSameTextAreDuplicates() {
        assertThat(load("a: {1: x, '1': y}\n").failure()).hasMessage("YAML rejected: duplicate key 'a.1'");
    }
}
