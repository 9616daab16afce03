package dev.sigmacep.sigma.prefilter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TouchedBitsTest {

    @Test
    void listsTheWordsSetInOrderAndClearsThem() {
        TouchedBits set = new TouchedBits(1);
        assertThat(set.add(130)).isTrue();
        assertThat(set.add(3)).isTrue();
        assertThat(set.add(130)).isFalse(); // set already
        assertThat(set.add(5)).isTrue();
        assertThat(set.add(100_000)).isTrue(); // beyond the initial size: grows
        assertThat(set.count()).isEqualTo(3);
        assertThat(new int[]{set.wordIndex(0), set.wordIndex(1), set.wordIndex(2)}).containsExactly(2, 0, 1562);
        assertThat(set.word(0)).isEqualTo(1L << 2);
        assertThat(set.word(1)).isEqualTo(1L << 3 | 1L << 5);

        set.clear();
        assertThat(set.count()).isZero();
        assertThat(set.add(3)).isTrue();
        assertThat(set.word(0)).isEqualTo(1L << 3);
    }
}
