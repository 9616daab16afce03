package dev.sigmacep.sigma.text;


import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import java.util.function.IntUnaryOperator;

/**
 * Finds, in one pass over a text, every occurrence of any of a set of patterns, ignoring case ({@link CaseFolding}).
 * The automaton is a full DFA over character classes, a step is one table lookup, and nothing is allocated while
 * scanning. Every ASCII char of the patterns has its own class (both cases of a letter share one), chars in no
 * pattern are class 0. Non-ASCII chars share {@value #NON_ASCII_CLASSES} classes by their folded value: patterns
 * with emoji or homoglyphs would otherwise widen the table by hundreds of classes. So a pattern holding non-ASCII
 * chars may be reported for a text where other non-ASCII chars stand in its place: the scan may report more than
 * occurs, never less, which is what a prefilter may do.
 */
public final class AhoCorasick {
    static final int NON_ASCII_CLASSES = 8;

    /** ASCII char -> class */
    private final int[] asciiClass = new int[128];
    /** the first non-ASCII class; 0 when the patterns are ASCII (then every non-ASCII char is in class 0) */
    private final int nonAsciiBase;
    private final int width;
    /**
     * {@code transitions[row + class]} is the next state's row (state number times {@link #width}), or, when that
     * state ends a pattern, the complement of its number: one sign test per char tells whether to report anything,
     * and reporting needs a multiplication, not a division.
     */
    private final int[] transitions;
    /** per state: the patterns ending there (its own and those of its suffixes), null when none */
    private final int[][] patternsEnding;
    private final int patternCount;
    private final int shortestPattern;
    /** whether some pattern is made of digits and '-' only: no other can occur in a number's decimal form */
    private final boolean decimalPatterns;

    private AhoCorasick(List<String> patterns) {
        this.patternCount = patterns.size();
        int shortest = Integer.MAX_VALUE;
        boolean decimal = false;
        for (String pattern : patterns) { // loops, not streams: automata are built at start, mostly interpreted
            shortest = Math.min(shortest, pattern.length());
            decimal = decimal || isDecimal(pattern);
        }
        this.shortestPattern = patterns.isEmpty() ? 0 : shortest;
        this.decimalPatterns = decimal;
        Alphabet alphabet = new Alphabet(patterns);
        System.arraycopy(alphabet.asciiClass, 0, asciiClass, 0, asciiClass.length);
        this.nonAsciiBase = alphabet.nonAsciiBase;
        this.width = alphabet.width;
        Trie trie = new Trie(width, patterns, c -> classOf((char) c));
        this.transitions = trie.transitions;
        this.patternsEnding = trie.patternsEnding;
    }

    /** @param patterns non-empty patterns; pattern {@code i} is reported as {@code i} */
    public static AhoCorasick of(List<String> patterns) {
        for (String pattern : patterns) {
            if (pattern.isEmpty()) {
                throw new IllegalArgumentException("empty pattern");
            }
        }
        return new AhoCorasick(patterns);
    }

    private static boolean isDecimal(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '-' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** The length of the shortest pattern: a shorter text holds none. */
    public int shortestPattern() {
        return shortestPattern;
    }

    /** Reports the number of every pattern occurrence in the text (a pattern found twice is reported twice). */
    public void scan(String text, IntConsumer found) {
        if (text.length() < shortestPattern) {
            return;
        }
        int row = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            row = transitions[row + classOf(text.charAt(i))];
            if (row < 0) {
                int state = ~row;
                row = state * width;
                report(state, found);
            }
        }
    }

    /**
     * Sets bit {@code p} of {@code found} (a bitset of at least {@code (patterns + 63) / 64} words) for every pattern
     * {@code p} that occurs in the text; stops reading once every pattern has been found. Exact when the patterns
     * are ASCII (see the class comment). Returns how many patterns were found that were not set before.
     */
    public int collect(String text, long[] found) {
        if (text.length() < shortestPattern) {
            return 0;
        }
        int count = 0;
        int row = 0;
        for (int i = 0, n = text.length(); i < n; i++) { // scan's loop, kept apart: it stops early, with no sink call
            row = transitions[row + classOf(text.charAt(i))];
            if (row < 0) {
                int state = ~row;
                row = state * width;
                for (int pattern : patternsEnding[state]) {
                    long bit = 1L << pattern;
                    if ((found[pattern >>> 6] & bit) == 0) {
                        found[pattern >>> 6] |= bit;
                        if (++count == patternCount) {
                            return count;
                        }
                    }
                }
            }
        }
        return count;
    }

    /** {@link #scan} of the decimal form of the number, without rendering it. */
    public void scanDecimal(long number, IntConsumer found) {
        if (!decimalPatterns) {
            return;
        }
        if (number == Long.MIN_VALUE) {
            scan(Long.toString(number), found);
            return;
        }
        int row = 0;
        if (number < 0) {
            row = step(row, '-', found);
            number = -number;
        }
        long divisor = 1;
        while (number / divisor >= 10) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            row = step(row, (char) ('0' + number / divisor % 10), found);
        }
    }

    private int step(int row, char c, IntConsumer found) {
        int next = transitions[row + classOf(c)];
        if (next < 0) {
            int state = ~next;
            next = state * width;
            report(state, found);
        }
        return next;
    }

    private void report(int state, IntConsumer found) {
        for (int pattern : patternsEnding[state]) {
            found.accept(pattern);
        }
    }

    private int classOf(char c) {
        return classOf(c, asciiClass, nonAsciiBase);
    }

    private static int classOf(char c, int[] asciiClass, int nonAsciiBase) {
        if (c < 0x80) {
            return asciiClass[c];
        }
        char folded = CaseFolding.fold(c);
        if (folded < 0x80) { // e.g. the Kelvin sign folds to k
            return asciiClass[folded];
        }
        return nonAsciiBase == 0 ? 0 : nonAsciiBase + (folded & (NON_ASCII_CLASSES - 1));
    }

    /** Size of the transition table, for reports. */
    public long tableBytes() {
        return 4L * transitions.length;
    }

    /**
     * {@code of(patterns).tableBytes()} without building the table: the trie's states are the distinct prefixes
     * of the patterns as class sequences, counted over the sorted sequences. Lets a caller decide between
     * automata before paying for the one it would throw away.
     */
    public static long tableBytes(List<String> patterns) {
        Alphabet alphabet = new Alphabet(patterns);
        String[] sequences = new String[patterns.size()];
        for (int p = 0; p < sequences.length; p++) {
            String pattern = patterns.get(p);
            char[] classes = new char[pattern.length()];
            for (int i = 0; i < classes.length; i++) {
                classes[i] = (char) alphabet.classOf(pattern.charAt(i));
            }
            sequences[p] = new String(classes);
        }
        Arrays.sort(sequences);
        long states = 1;
        String previous = "";
        for (String sequence : sequences) {
            int common = 0;
            int limit = Math.min(previous.length(), sequence.length());
            while (common < limit && previous.charAt(common) == sequence.charAt(common)) {
                common++;
            }
            states += sequence.length() - common;
            previous = sequence;
        }
        return 4L * states * alphabet.width;
    }

    /** The character classes of a pattern set (see the class comment). */
    private static final class Alphabet {
        final int[] asciiClass = new int[128];
        final int nonAsciiBase;
        final int width;

        Alphabet(List<String> patterns) {
            int[] classOfFolded = new int[128]; // numbered in order of first appearance
            int classes = 0;
            boolean nonAsciiPatterns = false;
            for (String pattern : patterns) {
                for (int i = 0; i < pattern.length(); i++) {
                    char c = CaseFolding.fold(pattern.charAt(i));
                    if (c >= 0x80) {
                        nonAsciiPatterns = true;
                    } else if (classOfFolded[c] == 0) {
                        classOfFolded[c] = ++classes;
                    }
                }
            }
            for (char c = 0; c < 128; c++) {
                char folded = CaseFolding.fold(c);
                asciiClass[c] = folded < 0x80 ? classOfFolded[folded] : 0;
            }
            this.nonAsciiBase = nonAsciiPatterns ? classes + 1 : 0;
            this.width = classes + 1 + (nonAsciiPatterns ? NON_ASCII_CLASSES : 0);
        }

        int classOf(char c) {
            return AhoCorasick.classOf(c, asciiClass, nonAsciiBase);
        }
    }

    /**
     * The goto trie of the patterns, turned into the DFA (failure links resolved) breadth first. Each step is a method
     * of its own: a pack's automata hold hundreds of thousands of states, and the JIT compiles small loops once
     * where it would compile one large constructor again at each of its loops (on-stack replacement).
     */
    private static final class Trie {
        final int width;
        /** goto links of the trie, {@code width} per state; 0 = none (the root is never a child); becomes the DFA */
        int[] children;
        /** per state: the patterns ending exactly there, null when none */
        int[][] own;
        int states = 1;
        int[] transitions;
        int[][] patternsEnding;

        Trie(int width, List<String> patterns, IntUnaryOperator classOf) {
            this.width = width;
            children = new int[16 * width];
            own = new int[16][];
            for (int p = 0; p < patterns.size(); p++) {
                add(patterns.get(p), p, classOf);
            }
            int[] next = resolve();
            own = null;
            transitions = encode(next);
        }

        private void add(String pattern, int number, IntUnaryOperator classOf) {
            int state = 0;
            for (int i = 0; i < pattern.length(); i++) {
                int link = state * width + classOf.applyAsInt(pattern.charAt(i));
                if (children[link] == 0) {
                    int created = newState(); // may replace the array: not inside the assignment
                    children[link] = created;
                }
                state = children[link];
            }
            int[] ending = own[state];
            own[state] = ending == null ? new int[] {number} : append(ending, number);
        }

        private int newState() {
            if ((long) (states + 1) * width > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("automaton too large: more than " + states + " states x " + width
                        + " classes");
            }
            if ((states + 1) * width > children.length) {
                children = Arrays.copyOf(children, Math.max(children.length * 2, (states + 1) * width));
                own = Arrays.copyOf(own, children.length / width);
            }
            return states++;
        }

        /**
         * Turns the trie's goto links into the DFA's next states for every state and class, in place, with
         * {@link #patternsEnding}; breadth first, so a state's failure state (shallower) has its row complete when
         * the state's own row, still holding only its goto links, is filled from it.
         */
        private int[] resolve() {
            int[] next = children.length == states * width ? children : Arrays.copyOf(children, states * width);
            children = null;
            int[] fail = new int[states];
            patternsEnding = new int[states][];
            int[] queue = new int[states];
            int head = 0;
            int tail = 1; // the root, state 0
            while (head < tail) {
                int state = queue[head++];
                patternsEnding[state] = ending(state, state == 0 ? null : patternsEnding[fail[state]]);
                tail = link(state, fail, next, queue, tail);
            }
            return next;
        }

        /** The state's own patterns and those of its failure state, ascending; shared when it has none of its own. */
        private int[] ending(int state, int[] inherited) {
            int[] mine = own[state];
            if (mine == null) return inherited; // most states: nothing to merge
            TreeSet<Integer> ending = new TreeSet<>();
            for (int p : mine) ending.add(p);
            if (inherited != null) {
                for (int p : inherited) ending.add(p);
            }
            return ending.stream().mapToInt(Integer::intValue).toArray();
        }

        /** Fills the state's row of {@code next} (its goto links until now), queues its children; returns the queue's new tail. */
        private int link(int state, int[] fail, int[] next, int[] queue, int tail) {
            int row = state * width;
            int failRow = fail[state] * width;
            for (int cls = 0; cls < width; cls++) {
                int child = next[row + cls];
                if (child != 0 && cls != 0) {
                    fail[child] = state == 0 ? 0 : next[failRow + cls];
                    queue[tail++] = child;
                } else {
                    next[row + cls] = state == 0 ? 0 : next[failRow + cls];
                }
            }
            return tail;
        }

        /** The next states as {@link AhoCorasick#transitions} holds them, in place (the table can be large). */
        private int[] encode(int[] next) {
            for (int i = 0; i < next.length; i++) {
                int target = next[i];
                next[i] = patternsEnding[target] != null ? ~target : target * width;
            }
            return next;
        }

        private static int[] append(int[] values, int value) {
            int[] longer = Arrays.copyOf(values, values.length + 1);
            longer[values.length] = value;
            return longer;
        }
    }
}
