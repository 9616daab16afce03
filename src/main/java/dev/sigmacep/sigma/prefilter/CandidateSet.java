package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.field.FieldSource;
import dev.sigmacep.sigma.text.AhoCorasick;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * The rules selected for one event, as a bitset over rule indices; mutable scratch state, confined to one thread
 * and reused for every event. As the {@link AhoCorasick} sink it turns each found pattern into its owners: a bit
 * per rule and part of its {@link NecessaryCondition}, in three regions of the bits: first clauses found, second
 * clauses found, excluding atoms found. A rule is a candidate when both its clauses and none of its excluding atoms
 * were found. It keeps, per automaton, the recent String values scanned and the bits each set (a {@link ScanCache}),
 * from one event to the next.
 */
public final class CandidateSet implements IntConsumer {
    /** the region of excluding atoms; regions 0 and 1 are the clauses */
    static final int EXCLUDED = 2;

    /** first clauses found (words {@code 0 .. words-1}), then second clauses found, then excluding atoms found */
    private final long[] bits;
    private final int words;
    /** the rules with at most one clause */
    private final long[] oneClause;
    private boolean inUse;
    /** the owners of the patterns of the automaton being scanned */
    private int[][] rulesByPattern;
    private final RulePrefilter prefilter;
    /** the route of the event being scanned */
    private RouteFilter route;
    /** the pass over the event's fields, as a consumer made once */
    private final BiConsumer<String, Object> scanField = this::scanField;
    /**
     * Per field automaton, and for the keyword automaton: the recent Strings scanned with it and what they held.
     * A few hundred entries to start with, a few thousand at most: call traces, hashes and GUIDs alternate between
     * many processes and DLLs.
     */
    private static final int CACHE_MAX_BITS = 12;
    private final ScanCache[] fieldCaches;
    private final ScanCache keywordCache = new ScanCache(10, CACHE_MAX_BITS);
    /** whether the current scan is being recorded for its scan cache */
    private boolean recording;
    /** the bits the current recorded scan set (same layout as {@link #bits}) */
    private final TouchedBits recorded;
    /**
     * The patterns the current scan has reported: a call trace holds {@code ntdll.dll+} in frame after frame, and each
     * occurrence would otherwise walk the pattern's owners again
     */
    private final TouchedBits reported = new TouchedBits(64);

    CandidateSet(RulePrefilter prefilter, int rules, int fields, long[] oneClause) {
        this.prefilter = prefilter;
        this.words = words(rules);
        this.bits = new long[3 * words];
        this.recorded = new TouchedBits(3 * words);
        this.oneClause = oneClause;
        this.fieldCaches = new ScanCache[fields];
        for (int f = 0; f < fields; f++) {
            fieldCaches[f] = new ScanCache(8, CACHE_MAX_BITS);
        }
    }

    /** Scans field {@code f}'s value as the matchers see it: list elements, numbers and booleans by their string form. */
    void scan(AhoCorasick automaton, int[][] owners, Object value, int f) {
        rulesByPattern = owners;
        scan(automaton, value, fieldCaches[f]);
    }

    private void scan(AhoCorasick automaton, Object value, ScanCache cache) {
        if (value instanceof String text) {
            if (text.length() < automaton.shortestPattern()) {
                return; // holds none of them: neither scanned nor cached (ids, levels, flags)
            }
            if (!cache.replay(text, bits)) {
                recording = true;
                automaton.scan(text, this);
                reported.clear();
                recording = false;
                cache.record(text, recorded);
                recorded.clear();
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0, n = list.size(); i < n; i++) {
                Object element = list.get(i);
                if (element != null) {
                    scanScalar(automaton, element);
                }
            }
        } else {
            scanScalar(automaton, value);
        }
    }

    private void scanScalar(AhoCorasick automaton, Object value) {
        if (value instanceof String text) {
            automaton.scan(text, this);
        } else if (value instanceof Integer || value instanceof Long) {
            automaton.scanDecimal(((Number) value).longValue(), this);
        } else {
            automaton.scan(String.valueOf(value), this); // booleans are constants; other numbers are rare
        }
        reported.clear();
    }

    /** Scans a value with the keyword automaton. */
    void scanKeywords(AhoCorasick automaton, int[][] owners, Object value) {
        rulesByPattern = owners;
        scan(automaton, value, keywordCache);
    }

    /** Scans every field of the event as the prefilter directs ({@link RulePrefilter#scanField}). */
    void scanFields(FieldSource event, RouteFilter route) {
        this.route = route;
        event.forEachField(scanField);
    }

    private void scanField(String name, Object value) {
        prefilter.scanField(this, route, name, value);
    }

    static int words(int rules) {
        return (rules + 63) >>> 6;
    }

    /** The candidate bit of a rule's clause (0 or 1) or its excluding atoms ({@link #EXCLUDED}), for a pack of {@code rules} rules. */
    static int bit(int rule, int region, int rules) {
        return region * 64 * words(rules) + rule;
    }

    static int ruleOf(int bit, int rules) {
        return bit % (64 * words(rules));
    }

    /** Takes the set for one event's selection and evaluation; false when it is already taken (a nested match). */
    public boolean acquire() {
        if (inUse) {
            return false;
        }
        inUse = true;
        return true;
    }

    public void release() {
        inUse = false;
    }

    void clear() {
        Arrays.fill(bits, 0L);
    }

    /**
     * Marks the clauses owning the found pattern as found, once per scan; the bits are also recorded when the scan
     * is.
     */
    @Override
    public void accept(int pattern) {
        if (!reported.add(pattern)) {
            return;
        }
        for (int bit : rulesByPattern[pattern]) {
            bits[bit >>> 6] |= 1L << bit;
            if (recording) {
                recorded.add(bit);
            }
        }
    }

    /** Leaves the route's rules whose clauses were all found, and its rules without clauses, unless excluded. */
    void restrictTo(RouteFilter route) {
        long[] mask = route.mask();
        long[] always = route.always();
        for (int w = 0; w < words; w++) {
            bits[w] = (bits[w] & (bits[words + w] | oneClause[w]) & mask[w] | always[w]) & ~bits[2 * words + w];
        }
    }

    /** Number of 64-bit words; word {@code w} holds rules {@code 64w ... 64w+63}, rule {@code r} at bit {@code r % 64}. */
    public int wordCount() {
        return words;
    }

    public long word(int w) {
        return bits[w];
    }
}
