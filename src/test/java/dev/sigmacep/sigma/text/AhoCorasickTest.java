package dev.sigmacep.sigma.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AhoCorasickTest {

    /** The patterns found, each once, ascending. */
    private static List<Integer> found(List<String> patterns, String text) {
        return found(AhoCorasick.of(patterns), text);
    }

    private static List<Integer> found(AhoCorasick automaton, String text) {
        TreeSet<Integer> found = new TreeSet<>();
        automaton.scan(text, found::add);
        return List.copyOf(found);
    }

    /** What the automaton must find: the patterns contained in the text, ignoring case. */
    private static List<Integer> contained(List<String> patterns, String text) {
        List<Integer> contained = new ArrayList<>();
        for (int p = 0; p < patterns.size(); p++) {
            if (text.toLowerCase(Locale.ROOT).contains(patterns.get(p).toLowerCase(Locale.ROOT))) {
                contained.add(p);
            }
        }
        return contained;
    }

    @Test
    void reportsOverlappingAndNestedPatternsAtEachEnd() {
        assertThat(found(List.of("he", "she", "his", "hers"), "ushers")).containsExactly(0, 1, 3);
        assertThat(found(List.of("abc", "bc", "c"), "abc")).containsExactly(0, 1, 2);
        List<Integer> repeated = new ArrayList<>();
        AhoCorasick.of(List.of("aa")).scan("aaaa", repeated::add);
        assertThat(repeated).containsExactly(0, 0, 0); // once per occurrence
    }

    @Test
    void findsExactlyThePatternsContainedInRandomTexts() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            List<String> patterns = new ArrayList<>();
            for (int p = 0, count = 1 + random.nextInt(20); p < count; p++) {
                patterns.add(randomText(random, 1 + random.nextInt(round % 2 == 0 ? 4 : 30)));
            }
            AhoCorasick automaton = AhoCorasick.of(patterns);
            for (int t = 0; t < 20; t++) {
                String text = randomText(random, random.nextInt(3000));
                assertThat(found(automaton, text)).as("%s in %s", patterns, text).isEqualTo(contained(patterns, text));
            }
        }
    }

    /** What {@link AhoCorasick#collect} sets, as pattern numbers. */
    private static List<Integer> collected(AhoCorasick automaton, String text, int patterns) {
        long[] found = new long[(patterns + 63) / 64];
        int count = automaton.collect(text, found);
        List<Integer> numbers = new ArrayList<>();
        for (int p = 0; p < patterns; p++) {
            if ((found[p / 64] & 1L << p) != 0) {
                numbers.add(p);
            }
        }
        assertThat(count).as("the count returned").isEqualTo(numbers.size());
        return numbers;
    }

    @Test
    void collectsThePatternsContainedInRandomTexts() {
        Random random = new Random(21);
        for (int round = 0; round < 300; round++) {
            List<String> patterns = new ArrayList<>();
            for (int p = 0, count = 1 + random.nextInt(round % 3 == 0 ? 100 : 8); p < count; p++) {
                patterns.add(randomText(random, 1 + random.nextInt(round % 2 == 0 ? 3 : 12)));
            }
            AhoCorasick automaton = AhoCorasick.of(patterns);
            for (int t = 0; t < 20; t++) {
                String text = randomText(random, random.nextInt(2000));
                assertThat(collected(automaton, text, patterns.size())).as("%s in %s", patterns, text)
                        .isEqualTo(contained(patterns, text));
            }
        }
    }

    @Test
    void textsShorterThanEveryPatternAndNumbersWithoutDigitPatternsAreNotRead() {
        AhoCorasick words = AhoCorasick.of(List.of("mimikatz", "sekurlsa::"));
        assertThat(words.shortestPattern()).isEqualTo(8);
        assertThat(found(words, "mimikat")).isEmpty();
        assertThat(found(words, "MIMIKATZ")).containsExactly(0);
        List<Integer> numbers = new ArrayList<>();
        words.scanDecimal(-1234567890123L, numbers::add);
        assertThat(numbers).isEmpty();
        AhoCorasick mixed = AhoCorasick.of(List.of("mimikatz", "-12", "4688"));
        mixed.scanDecimal(-1234688, numbers::add);
        assertThat(numbers).containsExactly(1, 2);
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
        assertThat(found(List.of("σ"), "Σ")).containsExactly(0);
        assertThat(found(List.of("σ"), "ς")).containsExactly(0); // final sigma folds like sigma
        assertThat(found(List.of("привет"), "ПРИВЕТ мир")).containsExactly(0);
        assertThat(found(List.of("—x"), "a–x")).isEmpty(); // em dash is not en dash (they do not share a class)
        assertThat(found(List.of("kbc"), "\u212Abc")).containsExactly(0); // the Kelvin sign folds to k
        assertThat(found(List.of("\u212Abc"), "KBC")).containsExactly(0);
        assertThat(found(List.of("\u017Fsu"), "SSU")).containsExactly(0); // long s folds to s
    }

    @Test
    void mayReportANonAsciiPatternWhenAnotherNonAsciiCharStandsInItsPlace() {
        char shared = (char) ('\u0430' + AhoCorasick.NON_ASCII_CLASSES); // same class as the Cyrillic a
        assertThat(found(List.of("x\u0430y"), "x" + shared + "y")).containsExactly(0);
        assertThat(found(List.of("x\u0430y"), "x\u0431y")).isEmpty();
        assertThat(found(List.of("x\u0430y"), "xay")).isEmpty();
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

    private static String randomText(Random random, int length) {
        String alphabet = "abAB-";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    @Test
    void knowsItsTableSizeBeforeBuildingIt() {
        Random random = new Random(11);
        String alphabet = "abcABC-\\.éÉ\u212a\u00ff\u4e2d";
        for (int round = 0; round < 500; round++) {
            List<String> patterns = new ArrayList<>();
            for (int p = 0, n = 1 + random.nextInt(30); p < n; p++) {
                StringBuilder pattern = new StringBuilder();
                for (int i = 0, length = 1 + random.nextInt(8); i < length; i++) {
                    pattern.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                patterns.add(pattern.toString());
            }
            if (random.nextBoolean()) {
                patterns.add(patterns.get(0).toUpperCase(Locale.ROOT)); // the same class sequence twice
            }
            assertThat(AhoCorasick.tableBytes(patterns)).as("%s", patterns).isEqualTo(AhoCorasick.of(patterns).tableBytes());
        }
    }

    @Test
    void rejectsEmptyPatterns() {
        assertThatThrownBy(() -> AhoCorasick.of(List.of("a", ""))).isInstanceOf(IllegalArgumentException.class);
    }
}
