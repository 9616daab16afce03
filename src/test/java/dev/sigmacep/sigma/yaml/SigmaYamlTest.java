package dev.sigmacep.sigma.yaml;

import dev.sigmacep.sigma.SigmaRuleException;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The limits themselves are SafeYamlTest's; here, that the Sigma engine gets them as rule errors. */
class SigmaYamlTest {

    @Test
    void aFailureIsARuleErrorAndKeepsTheDocumentsBeforeIt() {
        SigmaYaml.Documents loaded = SigmaYaml.loadAll("title: a\n---\ntitle: b\ntitle: c\n", null);
        assertThat(loaded.documents()).containsExactly(Map.of("title", "a"));
        assertThat(loaded.failure()).isInstanceOf(SigmaRuleException.class)
                .hasMessageStartingWith("invalid YAML: ").hasMessageContaining("found duplicate key title");
    }

    @Test
    void loadOneReportsARuleError() {
        assertThatThrownBy(() -> SigmaYaml.loadOne("a: &a [x]\nb: [" + String.join(", ", Collections.nCopies(60, "*a")) + "]\n"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessageContaining("Number of aliases for non-scalar nodes exceeds the specified max=50");
    }
}
