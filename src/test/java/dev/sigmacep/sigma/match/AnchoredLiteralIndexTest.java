package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.text.WildcardString;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The index must find every matcher that matches: it may only skip matchers that cannot. */
class AnchoredLiteralIndexTest {

    private static ValueMatcher glob(String pattern, boolean cased) {
        return new GlobMatcher(WildcardString.parse(pattern), cased);
    }

    @Test
    void filesAnchoredLiteralsAndLeavesTheRest() {
        List<ValueMatcher> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(glob("*\\lib" + i + ".dll", false));
        }
        ValueMatcher contains = glob("*temp*", false);
        ValueMatcher inner = glob("c:\\\\*x.dll", false); // c:\ then a wildcard then x.dll: anchored at both ends
        all.add(contains);
        all.add(inner);
        List<ValueMatcher> rest = new ArrayList<>();
        AnchoredLiteralIndex index = AnchoredLiteralIndex.of(all.toArray(ValueMatcher[]::new), rest);

        assertThat(index).isNotNull();
        assertThat(rest).containsExactly(contains, inner);
        assertThat(index.anyMatches("C:\\Windows\\LIB7.DLL")).isTrue();
        assertThat(index.anyMatches("C:\\Windows\\lib7.dll.bak")).isFalse();
        assertThat(index.anyMatches("lib7.dll")).isFalse(); // the backslash is part of the literal
    }

    @Test
    void aShortListIsNotIndexed() {
        List<ValueMatcher> rest = new ArrayList<>();
        ValueMatcher[] few = {glob("a*", false), glob("*b", false)};
        assertThat(AnchoredLiteralIndex.of(few, rest)).isNull();
        assertThat(rest).containsExactly(few);
    }

    @Test
    void casedLiteralsAreFoundIgnoringCaseAndDecidedByTheirMatcher() {
        List<ValueMatcher> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(glob("Prefix" + i + "*", true));
        }
        AnchoredLiteralIndex index = AnchoredLiteralIndex.of(all.toArray(ValueMatcher[]::new), new ArrayList<>());
        assertThat(index.anyMatches("Prefix3 and more")).isTrue();
        assertThat(index.anyMatches("prefix3 and more")).isFalse();
    }

    @Test
    void theKelvinSignAndTheLongSFoldLikeTheMatchers() {
        List<ValueMatcher> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(glob("*\\desk" + i + ".exe", false));
        }
        AnchoredLiteralIndex index = AnchoredLiteralIndex.of(all.toArray(ValueMatcher[]::new), new ArrayList<>());
        assertThat(index.anyMatches("C:\\DE\u017F\u212A4.EXE")).isEqualTo(all.get(4).matches("C:\\DE\u017F\u212A4.EXE")).isTrue();
    }

    @Test
    void randomListsAndValuesAgreeWithTryingEveryMatcher() {
        Random random = new Random(42);
        String alphabet = "abcAB\\.:_-\u212A\u017Fé0";
        int indexed = 0;
        for (int round = 0; round < 300; round++) {
            List<ValueMatcher> all = new ArrayList<>();
            List<String> literals = new ArrayList<>();
            int size = 8 + random.nextInt(40);
            for (int i = 0; i < size; i++) {
                String literal = randomText(random, alphabet, 1 + random.nextInt(5));
                literals.add(literal);
                String escaped = literal.replace("\\", "\\\\");
                String pattern = switch (random.nextInt(5)) {
                    case 0 -> escaped + "*";
                    case 1 -> "*" + escaped;
                    case 2 -> escaped;
                    case 3 -> "*" + escaped + "*";
                    default -> escaped + "*?";
                };
                all.add(glob(pattern, random.nextInt(4) == 0));
            }
            List<ValueMatcher> rest = new ArrayList<>();
            AnchoredLiteralIndex index = AnchoredLiteralIndex.of(all.toArray(ValueMatcher[]::new), rest);
            indexed += index == null ? 0 : 1;
            for (int v = 0; v < 200; v++) {
                String text = random.nextBoolean()
                        ? randomText(random, alphabet, random.nextInt(12))
                        : randomText(random, alphabet, random.nextInt(3)) + literals.get(random.nextInt(size))
                                + randomText(random, alphabet, random.nextInt(3));
                boolean expected = all.stream().anyMatch(m -> m.matches(text));
                boolean actual = index == null
                        ? all.stream().anyMatch(m -> m.matches(text))
                        : index.anyMatches(text) || rest.stream().anyMatch(m -> m.matches(text));
                assertThat(actual).as("%s against %s", text, literals).isEqualTo(expected);
            }
        }
        assertThat(indexed).isGreaterThan(100);
    }

    private static String randomText(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
