package dev.sigmacep.sigma.text;

/**
 * One representative character per case-insensitive class: two chars fold to the same char exactly when
 * {@code String.regionMatches(true, ...)} calls them equal, so searches over folded chars agree with it.
 * The matchers and the prefilter share it: the prefilter is exact only while both fold alike.
 */
public final class CaseFolding {
    private CaseFolding() {
    }

    static char fold(char c, boolean caseSensitive) {
        return caseSensitive ? c : fold(c);
    }

    public static char fold(char c) {
        if (c < 0x80) { // the hot path: ASCII folds to lower case, and no ASCII char folds to anything else
            return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    public static String fold(String text) {
        char[] folded = new char[text.length()];
        for (int i = 0; i < folded.length; i++) {
            folded[i] = fold(text.charAt(i));
        }
        return new String(folded);
    }
}
