package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.text.CaseFolding;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds, among many glob matchers of a value list, those that can match a value, without trying each: SigmaHQ
 * lists hundreds of {@code endswith} DLL names or {@code startswith} paths in one field entry. Each matcher whose
 * pattern is a literal anchored at the start ({@code lit*}), at the end ({@code *lit}) or at both (an exact
 * {@code lit}) is filed under a hash of its case-folded literal and the literal's length. A value is then hashed
 * once from each end, and at each length some literal has, one table probe finds the matchers whose literal has
 * that hash; only those run. The matchers decide: the index only skips matchers that cannot match, so results
 * are exactly those of trying every matcher.
 */
final class AnchoredLiteralIndex implements Serializable {
    /** fewer anchored literals than this are cheaper to try one by one */
    static final int MIN_LITERALS = 8;

    private static final int PREFIX = 0;
    private static final int SUFFIX = 1;
    private static final int EXACT = 2;

    private final ValueMatcher[] matchers;
    /** per kind: which literal lengths occur (bit per length), and the longest */
    private final long[][] lengths = new long[3][];
    private final int[] longest = new int[3];
    /** per slot of a hash table: the first matcher of the slot's chain + 1, or 0 */
    private final int[] firstMatcher;
    /** per matcher: its key (kind, length, hash), and the next matcher of its slot + 1, or 0 */
    private final long[] matcherKeys;
    private final int[] nextMatcher;
    private final int mask;

    private AnchoredLiteralIndex(List<ValueMatcher> matchers, List<Integer> kinds, List<String> literals) {
        this.matchers = matchers.toArray(ValueMatcher[]::new);
        int capacity = Integer.highestOneBit(Math.max(4, matchers.size() * 2)) * 2;
        this.matcherKeys = new long[matchers.size()];
        this.firstMatcher = new int[capacity];
        this.nextMatcher = new int[matchers.size()];
        this.mask = capacity - 1;
        for (int kind = 0; kind < 3; kind++) {
            lengths[kind] = new long[1];
        }
        for (int m = matchers.size() - 1; m >= 0; m--) { // prepended, so each chain keeps the written order
            int kind = kinds.get(m);
            String literal = literals.get(m);
            int length = literal.length();
            if (length >= 64 * lengths[kind].length) {
                lengths[kind] = Arrays.copyOf(lengths[kind], length / 64 + 1);
            }
            lengths[kind][length >>> 6] |= 1L << length;
            longest[kind] = Math.max(longest[kind], length);
            long key = key(kind, length, foldedHash(literal, length, kind == SUFFIX));
            int slot = slotOf(key);
            matcherKeys[m] = key;
            nextMatcher[m] = firstMatcher[slot];
            firstMatcher[slot] = m + 1;
        }
    }

    /**
     * Files the matchers that are anchored literals, of at least {@link #MIN_LITERALS}; returns null when there are
     * fewer. {@code rest} receives the matchers not filed, in order.
     */
    static AnchoredLiteralIndex of(ValueMatcher[] all, List<ValueMatcher> rest) {
        List<ValueMatcher> filed = new ArrayList<>();
        List<Integer> kinds = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        for (ValueMatcher matcher : all) {
            String literal = matcher instanceof GlobMatcher glob ? glob.anchoredLiteral() : null;
            if (literal == null || literal.isEmpty() || !isAscii(literal)) {
                rest.add(matcher);
                continue;
            }
            GlobMatcher glob = (GlobMatcher) matcher;
            filed.add(matcher);
            kinds.add(!glob.anchoredAtStart() ? SUFFIX : glob.anchoredAtEnd() ? EXACT : PREFIX);
            literals.add(literal);
        }
        if (filed.size() < MIN_LITERALS) {
            rest.clear();
            rest.addAll(Arrays.asList(all));
            return null;
        }
        return new AnchoredLiteralIndex(filed, kinds, literals);
    }

    /**
     * ASCII literals only: a non-ASCII char may equal an ASCII one ignoring case (the Kelvin sign and k), but its
     * fold is then that ASCII char, so the value's hash still finds the literal; a non-ASCII literal is left to its
     * matcher, whose comparison may treat surrogate pairs differently from a fold per char.
     */
    private static boolean isAscii(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            if (literal.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Whether any filed matcher matches the value. */
    boolean anyMatches(String text) {
        int n = text.length();
        if (n <= longest[EXACT] && has(EXACT, n) && probe(EXACT, n, foldedHash(text, n, false), text)) {
            return true;
        }
        return scan(PREFIX, text, false) || scan(SUFFIX, text, true);
    }

    private boolean scan(int kind, String text, boolean fromEnd) {
        int n = text.length();
        int limit = Math.min(n, longest[kind]);
        int hash = 0;
        for (int i = 0; i < limit; i++) {
            hash = 31 * hash + CaseFolding.fold(text.charAt(fromEnd ? n - 1 - i : i));
            if (has(kind, i + 1) && probe(kind, i + 1, hash, text)) {
                return true;
            }
        }
        return false;
    }

    /** The hash {@link #scan} has after {@code length} folded chars from the start, or from the end. */
    private static int foldedHash(String text, int length, boolean fromEnd) {
        int hash = 0;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + CaseFolding.fold(text.charAt(fromEnd ? text.length() - 1 - i : i));
        }
        return hash;
    }

    private boolean has(int kind, int length) {
        long[] bits = lengths[kind];
        return (length >>> 6) < bits.length && (bits[length >>> 6] & 1L << length) != 0;
    }

    private boolean probe(int kind, int length, int hash, String text) {
        long key = key(kind, length, hash);
        for (int m = firstMatcher[slotOf(key)] - 1; m >= 0; m = nextMatcher[m] - 1) {
            if (matcherKeys[m] == key && matchers[m].matches(text)) {
                return true;
            }
        }
        return false;
    }

    /** kind and length in the high bits */
    private static long key(int kind, int length, int hash) {
        return ((long) (kind << 24 | length) << 32) | (hash & 0xFFFFFFFFL);
    }

    private int slotOf(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
