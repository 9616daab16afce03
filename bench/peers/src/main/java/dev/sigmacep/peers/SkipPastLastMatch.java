package dev.sigmacep.peers;

import java.util.HashMap;
import java.util.Map;

/**
 * AFTER MATCH SKIP PAST LAST EVENT for engines whose patterns report every start's match ({@code every A -> B -> C}):
 * per key, a match counts only if its A comes after the last event of the previous counted match.
 *
 * <p>Why this equals Flink CEP's {@code skipPastLastEvent}: with {@code every}, each A yields at most one candidate
 * (the first B after it, then the first C after that B, in time), exactly Flink's {@code followedBy} partial match
 * for that A. When Flink emits a match ending at C it drops every partial match of the key, all of which started
 * before C; those started after C live on. Taking the candidates in the order they complete and keeping one only if
 * it starts after the last kept match's end gives the same matches (of several completing on the same C, one is
 * kept, as in Flink).
 */
final class SkipPastLastMatch {
    private final Map<String, Long> lastEnd = new HashMap<>();
    private long matches;

    /** Offers a candidate match (its key, and the positions of its A and C); returns whether it counts. */
    boolean offer(String key, long aSeq, long cSeq) {
        Long end = lastEnd.get(key);
        if (end != null && aSeq <= end) return false;
        lastEnd.put(key, cSeq);
        matches++;
        return true;
    }

    long matches() {
        return matches;
    }
}
