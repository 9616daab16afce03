package dev.sigmacep.sigma.prefilter;

/**
 * Case-insensitive comparison as the rule matchers do it ({@code String.regionMatches(true, ...)}, char by char):
 * two BMP chars are equal ignoring case exactly when their folds are equal.
 */
final class CaseFold {
    private CaseFold() {
    }

    static char fold(char c) {
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    static String fold(String text) {
        char[] folded = new char[text.length()];
        for (int i = 0; i < folded.length; i++) {
            folded[i] = fold(text.charAt(i));
        }
        return new String(folded);
    }
}
