package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.text.AhoCorasick;
import dev.sigmacep.sigma.text.CaseFolding;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code contains} literals that one rule looks for in one field, found in one pass over a long value. A rule
 * like SigmaHQ's "Suspicious PowerShell Invocations - Specific" has six {@code contains|all} selections and a filter
 * on {@code ScriptBlockText}: searched one literal at a time, a script block of 11,000 chars was read about a dozen
 * times per event. Here the first entry to test a long value scans it once with an {@link AhoCorasick} automaton of
 * all the literals, ignoring case, and each matcher of the rule asks its {@link Probe} about that scan.
 *
 * <p>Literals are registered while the rule compiles ({@link #probe}); the automaton is built when a value first
 * needs it. The last scan is remembered by the value's identity, in one reference written whole, so threads may
 * share the rule: a racing thread finds its own value's scan or none (and scans again). Only ASCII literals are
 * registered, for which the automaton is exact.
 */
final class ContainsScan implements Serializable {
    /** with fewer literals, searching each one is as cheap and may stop at its first occurrence */
    static final int MIN_LITERALS = 3;
    /** shorter values are searched literal by literal: they are cheap, and entries' results are memoized for them */
    static final int MIN_CHARS = 256;

    private final List<String> literals = new ArrayList<>();
    /** folded literal to its number, while the rule compiles */
    private transient Map<String, Integer> numbers = new HashMap<>();
    private transient AhoCorasick automaton;
    private transient Scanned last;

    private record Scanned(String text, long[] found) {
    }

    /**
     * What a scan tells about one matcher: it cannot match a value in which none of its literals occurs (ignoring
     * case), and when it {@link #decides}, it matches one in which any of them occurs.
     */
    static final class Probe implements Serializable {
        private final int[] literals;
        private final boolean decides;

        private Probe(int[] literals, boolean decides) {
            this.literals = literals;
            this.decides = decides;
        }

        /** 1 when the matcher matches, 0 when it does not, -1 when the matcher itself must tell. */
        int verdict(long[] found) {
            for (int literal : literals) {
                if ((found[literal >>> 6] & 1L << literal) != 0) {
                    return decides ? 1 : -1;
                }
            }
            return 0;
        }
    }

    /**
     * The probe of a {@code contains} matcher (or of the expansions of one value, all {@code contains}), its
     * literals registered; null for any other matcher, or one with a literal the automaton would not find exactly.
     * It decides for caseless literals; a case-sensitive one (e.g. {@code base64offset}) is only ruled out.
     */
    Probe probe(ValueMatcher matcher) {
        List<ValueMatcher> alternatives = matcher instanceof AnyOfMatcher any ? any.alternatives() : List.of(matcher);
        int[] numbers = new int[alternatives.size()];
        boolean decides = true;
        for (int i = 0; i < numbers.length; i++) {
            if (!(alternatives.get(i) instanceof GlobMatcher glob)) {
                return null;
            }
            String literal = glob.containedLiteral();
            if (!isScannable(literal)) {
                return null;
            }
            decides &= !glob.caseSensitive();
            numbers[i] = this.numbers.computeIfAbsent(CaseFolding.fold(literal), folded -> {
                literals.add(folded);
                return literals.size() - 1;
            });
        }
        return new Probe(numbers, decides);
    }

    private static boolean isScannable(String literal) {
        if (literal == null || literal.isEmpty()) {
            return false;
        }
        for (int i = 0; i < literal.length(); i++) {
            if (literal.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * The set of this scan's literals that occur in the text, as a bitset by number; null when the text is too short
     * or the rule has too few literals here for one pass to pay.
     */
    long[] foundIn(String text) {
        if (text.length() < MIN_CHARS || literals.size() < MIN_LITERALS) {
            return null;
        }
        Scanned scanned = last;
        if (scanned != null && scanned.text == text) {
            return scanned.found;
        }
        AhoCorasick automaton = this.automaton;
        if (automaton == null) { // racing threads may each build one; they are equal
            this.automaton = automaton = AhoCorasick.of(literals);
        }
        long[] found = new long[(literals.size() + 63) >>> 6];
        automaton.collect(text, found);
        last = new Scanned(text, found);
        return found;
    }
}
