package dev.sigmacep.sigma.prefilter;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AhoCorasickTest {

    private static List<Integer> found(List<String> patterns, String text) {
        List<Integer> found = new ArrayList<>();
        AhoCorasick.of(patterns).scan(text, found::add);
        return found;
    }

    @Test
    void reportsOverlappingAndNestedPatternsAtEachEnd() {
        // "he", "she", "his", "hers" in "ushers": she and he end at 3, hers at 5
        assertThat(found(List.of("he", "she", "his", "hers"), "ushers")).containsExactly(0, 1, 3);
        assertThat(found(List.of("aa"), "aaaa")).containsExactly(0, 0, 0);
        assertThat(found(List.of("abc", "bc", "c"), "abc")).containsExactly(0, 1, 2);
    }

    @Test
    void followsFailureLinksAcrossPartialMatches() {
        assertThat(found(List.of("abcd", "bcx"), "abcx")).containsExactly(1);
        assertThat(found(List.of("cmd.exe", "md.exe"), "c:\\cmcmd.exe")).containsExactly(0, 1);
        assertThat(found(List.of("abc"), "ababab")).isEmpty();
    }

    @Test
    void ignoresCaseOnBothSides() {
        assertThat(found(List.of("\\PowerShell.EXE"), "C:\\WINDOWS\\powershell.exe -nop")).containsExactly(0);
        assertThat(found(List.of("rundll32"), "RUNDLL32")).containsExactly(0);
    }

    @Test
    void foldsNonAsciiAsTheMatchersDo() {
        assertThat(found(List.of("straße"), "STRASSE")).isEmpty(); // no length-changing folds, as regionMatches
        assertThat(found(List.of("ÄÖÜ"), "xäöüx")).containsExactly(0);
        assertThat(found(List.of("σ"), "Σ ς")).containsExactly(0, 0); // final sigma folds like sigma
        assertThat(found(List.of("привет"), "ПРИВЕТ мир")).containsExactly(0);
        assertThat(found(List.of("—x"), "a–x")).isEmpty(); // em dash is not en dash
        assertThat(found(List.of("kbc"), "\u212Abc")).containsExactly(0); // the Kelvin sign folds to k
        assertThat(found(List.of("\u212Abc"), "KBC")).containsExactly(0);
        assertThat(found(List.of("\u017Fsu"), "SSU")).containsExactly(0); // long s folds to s
    }

    @Test
    void findsSurrogatePairs() {
        assertThat(found(List.of("\uD83D\uDE00", "x\uD83D"), "run \uD83D\uDE01 \uD83D\uDE00")).containsExactly(0);
    }

    @Test
    void charsOutsideEveryPatternResetTheMatch() {
        assertThat(found(List.of("ab"), "a\u0000b a\uFFFFb")).isEmpty();
        assertThat(found(List.of("ab"), "a\u0000ab")).containsExactly(0);
    }

    @Test
    void scansNumbersByTheirDecimalForm() {
        AhoCorasick automaton = AhoCorasick.of(List.of("4688", "-12", "0"));
        List<Integer> found = new ArrayList<>();
        automaton.scanDecimal(4688, found::add);
        automaton.scanDecimal(-120, found::add);
        automaton.scanDecimal(7, found::add);
        assertThat(found).containsExactly(0, 1, 2);
        found.clear();
        automaton.scanDecimal(Long.MIN_VALUE, found::add); // -9223372036854775808: two zeros
        assertThat(found).containsExactly(2, 2);
    }

    @Test
    void rejectsEmptyPatterns() {
        assertThatThrownBy(() -> AhoCorasick.of(List.of("a", ""))).isInstanceOf(IllegalArgumentException.class);
    }
}
