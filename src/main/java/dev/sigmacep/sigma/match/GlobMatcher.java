package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.text.GlobSegment;
import dev.sigmacep.sigma.text.WildcardString;

import java.util.ArrayList;
import java.util.List;

/**
 * Matches a {@link WildcardString} against a whole value without regex: the pattern is split at its {@code *}
 * runs into segments; the first and last segments are anchored to the value's ends and the middle ones are found
 * leftmost-first, which is enough for glob patterns (no backtracking). Time is linear in the value length for
 * literal segments and never exponential; nothing is allocated per match.
 */
final class GlobMatcher extends TextMatcher {
    private final boolean hasAnyRun;
    private final boolean caseSensitive;
    /** segment before the first {@code *} (the whole pattern when there is none); may be empty */
    private final GlobSegment head;
    /** segment after the last {@code *}; empty when there is no {@code *} */
    private final GlobSegment tail;
    /** the non-empty segments between the first and the last {@code *} */
    private final GlobSegment[] middle;
    /** for a literal pattern without {@code *} that is a canonical integer: the number, to compare integral values */
    private final Long integral;

    GlobMatcher(WildcardString pattern, boolean caseSensitive) {
        List<Integer> stars = new ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.kindAt(i) == WildcardString.ANY_RUN) {
                stars.add(i);
            }
        }
        this.hasAnyRun = !stars.isEmpty();
        this.caseSensitive = caseSensitive;
        int headEnd = hasAnyRun ? stars.get(0) : pattern.length();
        this.head = new GlobSegment(pattern, 0, headEnd, caseSensitive, false);
        this.tail = hasAnyRun
                ? new GlobSegment(pattern, stars.get(stars.size() - 1) + 1, pattern.length(), caseSensitive, false)
                : GlobSegment.EMPTY;
        List<GlobSegment> middle = new ArrayList<>();
        for (int s = 1; s < stars.size(); s++) {
            if (stars.get(s) > stars.get(s - 1) + 1) {
                middle.add(new GlobSegment(pattern, stars.get(s - 1) + 1, stars.get(s), caseSensitive, true));
            }
        }
        this.middle = middle.toArray(GlobSegment[]::new);
        this.integral = hasAnyRun ? null : head.integralValue();
    }

    @Override
    boolean matchesText(String text) {
        if (!hasAnyRun) {
            return text.length() == head.length() && head.matchesAt(text, 0);
        }
        int end = text.length() - tail.length();
        if (end < head.length() || !head.matchesAt(text, 0) || !tail.matchesAt(text, end)) {
            return false;
        }
        int from = head.length();
        for (GlobSegment segment : middle) {
            int found = segment.find(text, from, end);
            if (found < 0) {
                return false;
            }
            from = found + segment.length();
        }
        return true;
    }

    /**
     * The literal of a pattern anchored at one or both ends, without wildcards inside: the whole pattern for an
     * exact literal, the head of {@code lit*}, the tail of {@code *lit}; null for any other pattern.
     */
    String anchoredLiteral() {
        if (middle.length > 0 || !head.isLiteral() || !tail.isLiteral()) {
            return null;
        }
        if (!hasAnyRun) {
            return head.chars();
        }
        if (tail.length() == 0) {
            return head.chars();
        }
        return head.length() == 0 ? tail.chars() : null;
    }

    /** The literal of a {@code *lit*} pattern (Sigma's {@code contains}); null for any other pattern. */
    String containedLiteral() {
        boolean contains = hasAnyRun && head.length() == 0 && tail.length() == 0 && middle.length == 1;
        return contains && middle[0].isLiteral() ? middle[0].chars() : null;
    }

    boolean caseSensitive() {
        return caseSensitive;
    }

    /** For a pattern with an {@link #anchoredLiteral}: whether the literal starts the value (exact, or {@code lit*}). */
    boolean anchoredAtStart() {
        return head.length() > 0;
    }

    /** For a pattern with an {@link #anchoredLiteral}: whether the literal ends the value (exact, or {@code *lit}). */
    boolean anchoredAtEnd() {
        return !hasAnyRun || tail.length() > 0;
    }

    /** An exact literal compares numerically (no string rendering); other patterns see the decimal string form. */
    @Override
    boolean matchesIntegral(long number) {
        if (!hasAnyRun && head.isLiteral()) {
            return integral != null && integral == number;
        }
        return super.matchesIntegral(number);
    }
}
