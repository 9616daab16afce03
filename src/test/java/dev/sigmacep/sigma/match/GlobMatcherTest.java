package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.text.WildcardString;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The glob matcher against java.util.regex as a reference, on random patterns and values. */
class GlobMatcherTest {

    @Test
    void agreesWithARegexTranslationOnRandomPatterns() {
        Random random = new Random(20240517);
        for (int round = 0; round < 20_000; round++) {
            String pattern = randomString(random, "aAbB*?-", 1 + random.nextInt(8));
            String text = randomString(random, "aAbB-/", random.nextInt(12));
            boolean caseSensitive = random.nextBoolean();
            boolean windash = random.nextBoolean();
            WildcardString glob = WildcardString.parse(pattern);
            if (windash) {
                glob = glob.withDashesInterchangeable();
            }
            boolean expected = reference(pattern, caseSensitive, windash).matcher(text).matches();
            assertThat(new GlobMatcher(glob, caseSensitive).matchesText(text))
                    .as("pattern '%s' (cased %s, windash %s) on '%s'", pattern, caseSensitive, windash, text)
                    .isEqualTo(expected);
        }
    }

    @Test
    void agreesWithTheReferenceOnSegmentsLongerThanOneWord() {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            String pattern = "*" + randomString(random, "aab?", 60 + random.nextInt(90)) + "*";
            String text = randomString(random, "ab", random.nextInt(220));
            if (random.nextBoolean()) {
                text = text + pattern.substring(1, pattern.length() - 1).replace('?', 'b') + text;
            }
            boolean expected = reference(pattern, true, false).matcher(text).matches();
            assertThat(new GlobMatcher(WildcardString.parse(pattern), true).matchesText(text))
                    .as("pattern '%s' on '%s'", pattern, text)
                    .isEqualTo(expected);
        }
    }

    @Test
    void literalSegmentSearchHandlesSelfOverlappingNeedles() {
        GlobMatcher matcher = new GlobMatcher(WildcardString.parse("*aab*"), false);
        assertThat(matcher.matchesText("aaab")).isTrue();
        assertThat(matcher.matchesText("AaAaAB")).isTrue();
        assertThat(matcher.matchesText("aaaa")).isFalse();
        GlobMatcher abab = new GlobMatcher(WildcardString.parse("*abac*"), true);
        assertThat(abab.matchesText("ababac")).isTrue();
        assertThat(abab.matchesText("ababab")).isFalse();
    }

    private static String randomString(Random random, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static Pattern reference(String glob, boolean caseSensitive, boolean windash) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '-' && windash) {
                regex.append("[-/\u2013\u2014\u2015]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = Pattern.DOTALL | (caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return Pattern.compile(regex.toString(), flags);
    }
}
