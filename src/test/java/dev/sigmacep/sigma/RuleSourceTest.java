package dev.sigmacep.sigma;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RuleSourceTest {
    @Test
    void keepsPathAndText() {
        RuleSource s = new RuleSource("a.yml", "title: x");
        assertThat(s.path()).isEqualTo("a.yml");
    }
}
