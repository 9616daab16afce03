package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.sigma.FieldSource;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The rules selected for one event, as a bitset over rule indices; mutable scratch state, confined to one thread
 * and reused for every event. As the {@link AhoCorasick} sink it turns each found pattern into its owning rules.
 * It keeps the recent String values of each field (a {@link ScanCache}) from one event to the next.
 */
public final class CandidateSet implements IntConsumer {
    private final long[] bits;
    private boolean inUse;
    /** the owners of the patterns of the automaton being scanned */
    private int[][] rulesByPattern;
    /** the keyword pass, as a consumer made once: {@code values().forEach} needs no iterator, unlike a for loop */
    private final Consumer<Object> scanIfUnscanned = this::scanIfUnscanned;
    private final Consumer<Object> touch = this::touch;
    /** what {@link #touch} read, kept so that the reads are not optimized away */
    private int touched;
    private AhoCorasick keywordAutomaton;
    /** the values scanned for this event so far (by identity), so that the keyword pass skips them */
    private Object[] scanned = new Object[16];
    private int scannedCount;
    /** per field, and per position in the keyword pass: the recent Strings scanned there and what they held */
    private final ScanCache[] fieldCaches;
    private ScanCache[] keywordCaches = new ScanCache[0];
    private int keywordPosition;
    /** the memo the current scan records into, or null */
    private ScanMemo recording;

    CandidateSet(int rules, int fields) {
        this.bits = new long[words(rules)];
        this.fieldCaches = new ScanCache[fields];
        for (int f = 0; f < fields; f++) {
            fieldCaches[f] = new ScanCache();
        }
    }

    /** Scans field {@code f}'s value as the matchers see it: list elements, numbers and booleans by their string form. */
    void scan(AhoCorasick automaton, int[][] owners, Object value, int f) {
        rulesByPattern = owners;
        scan(automaton, value, fieldCaches[f]);
    }

    private void scan(AhoCorasick automaton, Object value, ScanCache cache) {
        if (value instanceof String text) {
            ScanMemo memo = cache.find(text);
            if (memo != null) {
                memo.replay(this);
            } else {
                recording = cache.recordInto(text);
                automaton.scan(text, this);
                recording = null;
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
    }

    /** Scans every value of the event not {@link #scanned} yet. */
    void scanUnscannedValues(FieldSource event, AhoCorasick automaton, int[][] owners) {
        rulesByPattern = owners;
        keywordAutomaton = automaton;
        keywordPosition = 0;
        event.values().forEach(scanIfUnscanned);
    }

    private void scanIfUnscanned(Object value) {
        int position = keywordPosition++;
        if (value != null && !wasScanned(value)) {
            scan(keywordAutomaton, value, keywordCache(position));
        }
    }

    private ScanCache keywordCache(int position) {
        if (position >= keywordCaches.length) { // grows to the most values of an event, once
            ScanCache[] grown = Arrays.copyOf(keywordCaches, Math.max(32, 2 * position));
            for (int i = keywordCaches.length; i < grown.length; i++) {
                grown[i] = new ScanCache();
            }
            keywordCaches = grown;
        }
        return keywordCaches[position];
    }

    void scanned(Object value) {
        if (scannedCount == scanned.length) {
            scanned = Arrays.copyOf(scanned, 2 * scannedCount); // grows to the most fields of a route, once
        }
        scanned[scannedCount++] = value;
    }

    boolean wasScanned(Object value) {
        for (int i = 0; i < scannedCount; i++) {
            if (scanned[i] == value) {
                return true;
            }
        }
        return false;
    }

    static int words(int rules) {
        return (rules + 63) >>> 6;
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

    /** Forgets which values this event's selection scanned (only the caches keep values past it). */
    void forgetScanned() {
        Arrays.fill(scanned, 0, scannedCount, null);
        scannedCount = 0;
    }

    /**
     * Reads the first char of every String value of the event, one after the other, before any scan. An event not
     * in cache otherwise costs one cache miss after another (map node, String, its chars) between DFA scans; read
     * back to back, those misses overlap, and the scans that follow find the values in cache.
     */
    void touchValues(FieldSource event) {
        event.values().forEach(touch);
    }

    private void touch(Object value) {
        if (value instanceof String text && !text.isEmpty()) {
            touched += text.charAt(0);
        }
    }

    void clear() {
        Arrays.fill(bits, 0L);
    }

    @Override
    public void accept(int pattern) {
        select(pattern);
        if (recording != null) {
            recording.add(pattern);
        }
    }

    /** Selects the rules owning the pattern. */
    void select(int pattern) {
        for (int rule : rulesByPattern[pattern]) {
            bits[rule >>> 6] |= 1L << rule;
        }
    }

    void restrictTo(RouteFilter route) {
        long[] mask = route.mask();
        long[] always = route.always();
        for (int w = 0; w < bits.length; w++) {
            bits[w] = bits[w] & mask[w] | always[w];
        }
    }

    /** Number of 64-bit words; word {@code w} holds rules {@code 64w ... 64w+63}, rule {@code r} at bit {@code r % 64}. */
    public int wordCount() {
        return bits.length;
    }

    public long word(int w) {
        return bits[w];
    }
}
