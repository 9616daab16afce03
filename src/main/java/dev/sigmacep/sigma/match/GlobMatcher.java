package dev.sigmacep.sigma.match;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Matches a {@link WildcardString} against a whole value without regex: the pattern is split at its {@code *}
 * runs into segments; the first and last segments are anchored to the value's ends and the middle ones are found
 * leftmost-first, which is enough for glob patterns (no backtracking). Time is linear in the value length times
 * the segment lengths, never exponential; nothing is allocated per match.
 */
final class GlobMatcher extends TextMatcher {
    private final boolean hasAnyRun;
    /** segment before the first {@code *} (the whole pattern when there is none); may be empty */
    private final Segment head;
    /** segment after the last {@code *}; empty when there is no {@code *} */
    private final Segment tail;
    private final Segment[] middle;
    /** true for a pattern of literals only, the common exact-match case */
    private final boolean literalOnly;
    /** for a literal pattern that is a canonical integer: the number, so integral values compare directly */
    private final Long integral;

    GlobMatcher(WildcardString pattern, boolean caseSensitive) {
        List<Segment> segments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= pattern.length(); i++) {
            if (i == pattern.length() || pattern.kindAt(i) == WildcardString.ANY_RUN) {
                segments.add(new Segment(pattern, start, i, caseSensitive));
                start = i + 1;
            }
        }
        this.hasAnyRun = segments.size() > 1;
        this.head = segments.get(0);
        this.tail = hasAnyRun ? segments.get(segments.size() - 1) : Segment.EMPTY;
        this.middle = hasAnyRun
                ? segments.subList(1, segments.size() - 1).stream().filter(s -> s.length() > 0).toArray(Segment[]::new)
                : new Segment[0];
        this.literalOnly = !hasAnyRun && head.isLiteral();
        this.integral = literalOnly ? head.integralValue() : null;
    }

    @Override
    boolean matchesText(String text) {
        int length = text.length();
        if (!hasAnyRun) {
            return length == head.length() && head.matchesAt(text, 0);
        }
        int end = length - tail.length();
        if (end < head.length() || !head.matchesAt(text, 0) || !tail.matchesAt(text, end)) {
            return false;
        }
        int from = head.length();
        for (Segment segment : middle) {
            int found = segment.find(text, from, end);
            if (found < 0) {
                return false;
            }
            from = found + segment.length();
        }
        return true;
    }

    @Override
    boolean matchesIntegral(long number) {
        if (literalOnly) {
            return integral != null && integral == number;
        }
        return super.matchesIntegral(number);
    }

    /** A run of pattern characters without {@code *}: literals, {@code ?} and windash dashes. */
    private static final class Segment implements Serializable {
        static final Segment EMPTY = new Segment(WildcardString.literal(""), 0, 0, true);

        private final String chars;
        /** null when every character is a literal, so that String.regionMatches does the work */
        private final byte[] kinds;
        private final boolean caseSensitive;

        Segment(WildcardString pattern, int from, int to, boolean caseSensitive) {
            StringBuilder chars = new StringBuilder(to - from);
            byte[] kinds = new byte[to - from];
            boolean allLiteral = true;
            for (int i = from; i < to; i++) {
                chars.append(pattern.charAt(i));
                kinds[i - from] = pattern.kindAt(i);
                allLiteral &= pattern.kindAt(i) == WildcardString.LITERAL;
            }
            this.chars = chars.toString();
            this.kinds = allLiteral ? null : kinds;
            this.caseSensitive = caseSensitive;
        }

        int length() {
            return chars.length();
        }

        boolean isLiteral() {
            return kinds == null;
        }

        boolean matchesAt(String text, int offset) {
            if (kinds == null) {
                return text.regionMatches(!caseSensitive, offset, chars, 0, chars.length());
            }
            for (int i = 0; i < kinds.length; i++) {
                char c = text.charAt(offset + i);
                boolean ok = switch (kinds[i]) {
                    case WildcardString.ANY_ONE -> true;
                    case WildcardString.ANY_DASH -> WildcardString.DASHES.indexOf(c) >= 0;
                    default -> sameChar(c, chars.charAt(i));
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        /** Leftmost offset in [from, end) where the segment fits entirely before end, or -1. */
        int find(String text, int from, int end) {
            for (int offset = from; offset + chars.length() <= end; offset++) {
                if (matchesAt(text, offset)) {
                    return offset;
                }
            }
            return -1;
        }

        /** The same character comparison as String.regionMatches(ignoreCase = !caseSensitive). */
        private boolean sameChar(char a, char b) {
            if (a == b) {
                return true;
            }
            if (caseSensitive) {
                return false;
            }
            char upperA = Character.toUpperCase(a);
            char upperB = Character.toUpperCase(b);
            return upperA == upperB || Character.toLowerCase(upperA) == Character.toLowerCase(upperB);
        }

        Long integralValue() {
            if (chars.isEmpty() || chars.length() > 20) {
                return null;
            }
            try {
                long value = Long.parseLong(chars);
                return Long.toString(value).equals(chars) ? value : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
