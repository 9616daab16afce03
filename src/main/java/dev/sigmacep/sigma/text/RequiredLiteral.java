package dev.sigmacep.sigma.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the literals that every match of a regex must contain, so that values without them can skip the regex
 * engine (RE2/J is linear but about 25 times slower per character than a literal search). The scan is
 * conservative: it only reads top-level runs of plain ASCII characters, ignores groups and classes, gives up on a
 * top-level alternation and stops at escapes it does not know; when in doubt it finds shorter literals or none.
 * The literals are then searched case-insensitively, which holds whatever case flags the regex uses.
 */
public final class RequiredLiteral {
    private final String regex;
    private final StringBuilder run = new StringBuilder();
    private final List<String> runs = new ArrayList<>();
    private int i;

    private RequiredLiteral(String regex) {
        this.regex = regex;
    }

    /** The longest literal every match contains, or "" when none is found. */
    public static String of(String regex) {
        String longest = "";
        for (String literal : sequence(regex)) {
            longest = literal.length() > longest.length() ? literal : longest;
        }
        return longest;
    }

    /**
     * The top-level literals of the regex in the order it writes them: every match contains each of them, one after
     * the other without overlapping (a top-level concatenation matches its parts in order). Empty when none is found.
     */
    public static List<String> sequence(String regex) {
        RequiredLiteral scan = new RequiredLiteral(regex);
        return scan.scan() ? List.copyOf(scan.runs) : List.of();
    }

    /** Collects the runs; false for a top-level alternation, where no literal is required. */
    private boolean scan() {
        while (i < regex.length()) {
            char c = regex.charAt(i);
            switch (c) {
                case '|' -> {
                    return false; // a top-level alternative may match without any literal of the others
                }
                case '\\' -> {
                    if (!escape()) {
                        endRun();
                        return true;
                    }
                }
                case '[' -> {
                    endRun();
                    skipClass();
                }
                case '(' -> {
                    endRun();
                    skipGroup();
                }
                case '*', '?' -> dropLastAndEndRun();
                case '+' -> endRun();
                case '{' -> repetition();
                case '.', '^', '$' -> endRun();
                default -> literal(c);
            }
            i++;
        }
        endRun();
        return true;
    }

    /** Reads the escape at i; false for an escape that takes arguments, after which the scan stops. */
    private boolean escape() {
        if (i + 1 >= regex.length()) {
            return false;
        }
        char next = regex.charAt(++i);
        if (next < 0x80 && !Character.isLetterOrDigit(next)) {
            literal(next); // an escaped punctuation character is itself
            return true;
        }
        if ("dDwWsSbBAzntrfv".indexOf(next) >= 0) {
            endRun(); // a one-letter class, anchor or control character
            return true;
        }
        return false; // \x41, \p{L}, \Q...\E, \0...: not read here
    }

    private void literal(char c) {
        if (c >= 0x20 && c < 0x7F) {
            run.append(c);
        } else {
            endRun(); // non-ASCII case folding differs between engines: not used for the literal
        }
    }

    /** {n}, {n,}, {n,m}: a repetition of the last atom, which is optional when n is 0. */
    private void repetition() {
        // the '}' right after digits and commas: searching further for each '{' would be quadratic in a regex of
        // many '{' (and anything else between the braces is no repetition anyway)
        int close = i + 1;
        while (close < regex.length() && (regex.charAt(close) >= '0' && regex.charAt(close) <= '9'
                || regex.charAt(close) == ',')) {
            close++;
        }
        close = close < regex.length() && regex.charAt(close) == '}' ? close : -1;
        String body = close < 0 ? "" : regex.substring(i + 1, close);
        if (!body.matches("\\d+(,\\d*)?")) {
            dropLastAndEndRun(); // not a repetition RE2/J reads as such: assume nothing about the last atom
            return;
        }
        boolean optional = body.replaceFirst(",.*", "").chars().allMatch(digit -> digit == '0');
        if (optional) {
            dropLastAndEndRun();
        } else {
            endRun();
        }
        i = close;
    }

    private void dropLastAndEndRun() {
        if (!run.isEmpty()) {
            run.setLength(run.length() - 1);
        }
        endRun();
    }

    private void endRun() {
        if (!run.isEmpty()) {
            runs.add(run.toString());
        }
        run.setLength(0);
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
            } else if (regex.startsWith("[:", i)) {
                int close = regex.indexOf(":]", i + 2);
                i = close < 0 ? i : close + 1;
            }
            i++;
        }
    }

    /** Moves i to the ')' closing the group at i. */
    private void skipGroup() {
        int depth = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                skipClass();
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return;
            }
            i++;
        }
    }
}
