package dev.sigmacep.sigma.text;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bounds a regex before RE2/J compiles it. RE2/J matches in linear time, but compiling is not bounded: it recurses
 * once per nested group (10,000 nested groups overflow the stack), unrolls counted repetitions, so
 * {@code ((a{1000}){1000}){1000}} becomes 10^9 instructions (the heap runs out after a minute), and its parser
 * copies a run of literal characters each time it grows (a 60,000-character literal takes 5 s of CPU). RE2 in C++
 * caps nesting and repetition; RE2/J caps neither, so the scan here does, from the pattern text alone and in one
 * pass, and caps the length.
 */
public final class RegexBounds {
    /** characters of one regex (SigmaHQ's longest has 217); the parser's cost grows with the square of this */
    public static final int MAX_LENGTH = 4096;
    /** groups nested deeper than this are refused (SigmaHQ's deepest regex nests 3 groups) */
    public static final int MAX_NESTING = 100;
    /** the size of the regex with its counted repetitions unrolled, in atoms (about RE2/J's instructions) */
    public static final long MAX_UNROLLED_SIZE = 100_000;
    /** RE2/J refuses repetition counts above 1000; larger ones are counted as this */
    private static final int MAX_REPEAT = 1001;

    private final String regex;
    private int i;
    /** no ":]" after some "[:": later ones need not search again (which would make the scan quadratic) */
    private boolean posixCloseMissing;

    private RegexBounds(String regex) {
        this.regex = regex;
    }

    /** Why the regex is too large to compile (a phrase to follow "regex in 'field|re'"), or null when it is not. */
    public static String excess(String regex) {
        return new RegexBounds(regex).scan();
    }

    /** Sizes of one group (or the whole regex): the alternatives closed so far, the open one, its last atom. */
    private static final class Group {
        long closed;
        long open;
        long last;

        long size() {
            return closed + open;
        }
    }

    private String scan() {
        if (regex.length() > MAX_LENGTH) {
            return "is " + regex.length() + " characters long, more than the " + MAX_LENGTH + " allowed";
        }
        Deque<Group> groups = new ArrayDeque<>();
        Group group = new Group();
        while (i < regex.length()) {
            char c = regex.charAt(i);
            switch (c) {
                case '(' -> {
                    if (groups.size() >= MAX_NESTING) {
                        return "nests groups deeper than " + MAX_NESTING + " levels";
                    }
                    groups.push(group);
                    group = new Group();
                }
                case ')' -> {
                    long size = group.size();
                    group = groups.isEmpty() ? group : groups.pop(); // an unbalanced ')' is RE2/J's to report
                    add(group, size);
                }
                case '|' -> {
                    group.closed = sum(group.closed, group.open);
                    group.open = 0;
                    group.last = 0;
                }
                case '*', '+', '?' -> {
                    // compiled once, not unrolled
                }
                case '{' -> {
                    int count = repeatCount();
                    if (count < 0) {
                        add(group, 1); // not a repetition: a literal '{'
                    } else {
                        group.open = sum(group.open, product(group.last, count - 1L));
                        group.last = product(group.last, count);
                    }
                }
                case '[' -> {
                    skipClass();
                    add(group, 1);
                }
                case '\\' -> escape(group);
                default -> add(group, 1);
            }
            if (group.size() > MAX_UNROLLED_SIZE) {
                return "unrolls to more than " + MAX_UNROLLED_SIZE
                        + " atoms (counted repetitions like {1000} multiply)";
            }
            i++;
        }
        return null;
    }

    private static void add(Group group, long size) {
        group.open = sum(group.open, size);
        group.last = size;
    }

    /** The copies a repetition at i makes ({n} and {n,} n, {n,m} m, at least one), i moved to its '}'; -1 if none. */
    private int repeatCount() {
        int close = i + 1;
        int counts = 0;
        int current = 0;
        int largest = 0;
        while (close < regex.length()) { // over digits and one comma only: linear over all the '{' of a regex
            char c = regex.charAt(close);
            if (c >= '0' && c <= '9') {
                current = Math.min(MAX_REPEAT, current * 10 + (c - '0'));
                counts = Math.max(counts, 1);
            } else if (c == ',' && counts == 1) {
                largest = current;
                current = 0;
                counts = 2;
            } else if (c == '}' && counts > 0) {
                i = close;
                return Math.max(1, Math.max(largest, current));
            } else {
                return -1;
            }
            close++;
        }
        return -1;
    }

    /** One escape: \Q...\E counts its text, \p{..} \x{..} one atom, anything else one atom. */
    private void escape(Group group) {
        if (i + 1 >= regex.length()) {
            return;
        }
        char next = regex.charAt(++i);
        if (next == 'Q') {
            int end = regex.indexOf("\\E", i);
            int stop = end < 0 ? regex.length() : end;
            add(group, stop - i - 1L);
            i = end < 0 ? regex.length() : end + 1;
            return;
        }
        if ((next == 'p' || next == 'P' || next == 'x') && i + 1 < regex.length() && regex.charAt(i + 1) == '{') {
            int close = regex.indexOf('}', i);
            i = close < 0 ? regex.length() : close;
        }
        add(group, 1);
    }

    /** Moves i to the ']' closing the class at i, past escapes and POSIX classes like [:alpha:]. */
    private void skipClass() {
        i++;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++; // a ']' first in the class is a literal
        }
        while (i < regex.length() && regex.charAt(i) != ']') {
            if (regex.charAt(i) == '\\') {
                i++;
            } else if (!posixCloseMissing && regex.startsWith("[:", i)) {
                int close = regex.indexOf(":]", i + 2);
                posixCloseMissing = close < 0;
                i = close < 0 ? i : close + 1;
            }
            i++;
        }
    }

    private static long sum(long a, long b) {
        return Math.min(Long.MAX_VALUE / 2, a + b);
    }

    private static long product(long a, long b) {
        return a == 0 || b == 0 ? 0 : a > Long.MAX_VALUE / 2 / b ? Long.MAX_VALUE / 2 : a * b;
    }
}
