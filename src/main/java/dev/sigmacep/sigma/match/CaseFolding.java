package dev.sigmacep.sigma.match;

/**
 * One representative character per case-insensitive class: two chars fold to the same char exactly when
 * {@code String.regionMatches(true, ...)} calls them equal, so searches over folded chars agree with it.
 */
final class CaseFolding {
    private CaseFolding() {
    }

    static char fold(char c, boolean caseSensitive) {
        return caseSensitive ? c : Character.toLowerCase(Character.toUpperCase(c));
    }
}
