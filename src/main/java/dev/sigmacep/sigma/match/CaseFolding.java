package dev.sigmacep.sigma.match;

/**
 * One representative character per case-insensitive class: two chars fold to the same char exactly when
 * {@code String.regionMatches(true, ...)} calls them equal, so searches over folded chars agree with it.
 */
final class CaseFolding {
    private CaseFolding() {
    }

    static char fold(char c, boolean caseSensitive) {
        if (caseSensitive) {
            return c;
        }
        if (c < 0x80) { // the hot path: ASCII folds to lower case, and no ASCII char folds to anything else
            return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return Character.toLowerCase(Character.toUpperCase(c));
    }
}
