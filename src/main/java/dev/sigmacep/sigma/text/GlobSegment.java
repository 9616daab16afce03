package dev.sigmacep.sigma.text;

import java.io.Serializable;

/**
 * A run of pattern characters between {@code *} wildcards: literals, {@code ?} and windash dashes. Matching at a
 * fixed offset compares char by char ({@code String.regionMatches} for literal runs); searching uses KMP for
 * literal segments (the common case) and a bit-parallel search otherwise, so that it is linear in the value length.
 */
public final class GlobSegment implements Serializable {
    public static final GlobSegment EMPTY = new GlobSegment(WildcardString.literal(""), 0, 0, true, false);

    private final String chars;
    /** null when every character is a literal */
    private final byte[] kinds;
    private final boolean caseSensitive;
    /** for a searchable segment, exactly one of the two is set, by kind of segment */
    private final KmpSearch literalSearch;
    private final ShiftAndSearch patternSearch;

    /** @param searchable whether {@link #find} will be used (segments between two {@code *}) */
    public GlobSegment(WildcardString pattern, int from, int to, boolean caseSensitive, boolean searchable) {
        StringBuilder chars = new StringBuilder(to - from);
        byte[] kinds = new byte[to - from];
        boolean literal = true;
        for (int i = from; i < to; i++) {
            chars.append(pattern.charAt(i));
            kinds[i - from] = pattern.kindAt(i);
            literal &= pattern.kindAt(i) == WildcardString.LITERAL;
        }
        this.chars = chars.toString();
        this.kinds = literal ? null : kinds;
        this.caseSensitive = caseSensitive;
        this.literalSearch = searchable && literal ? new KmpSearch(this.chars, caseSensitive) : null;
        this.patternSearch = searchable && !literal ? new ShiftAndSearch(this.chars, kinds, caseSensitive) : null;
    }

    public int length() {
        return chars.length();
    }

    public String chars() {
        return chars;
    }

    public boolean isLiteral() {
        return kinds == null;
    }

    /** Whether the segment matches the value at offset; the caller ensures it fits. */
    public boolean matchesAt(String text, int offset) {
        if (kinds == null) {
            return text.regionMatches(!caseSensitive, offset, chars, 0, chars.length());
        }
        for (int i = 0; i < kinds.length; i++) {
            char c = text.charAt(offset + i);
            boolean ok = switch (kinds[i]) {
                case WildcardString.ANY_ONE -> true;
                case WildcardString.ANY_DASH -> WildcardString.isDash(c);
                default -> CaseFolding.fold(c, caseSensitive) == CaseFolding.fold(chars.charAt(i), caseSensitive);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Leftmost offset in [from, end) where the non-empty segment fits entirely before end, or -1. */
    public int find(String text, int from, int end) {
        return literalSearch != null ? literalSearch.find(text, from, end) : patternSearch.find(text, from, end);
    }

    /** The literal segment as a long whose decimal form it is exactly (no plus sign, no leading zeros), or null. */
    public Long integralValue() {
        if (kinds != null || !Numbers.isDecimalInteger(chars)) {
            return null;
        }
        long value = Long.parseLong(chars);
        return Long.toString(value).equals(chars) ? value : null;
    }
}
