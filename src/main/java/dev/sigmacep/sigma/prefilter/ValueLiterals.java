package dev.sigmacep.sigma.prefilter;

import java.util.ArrayList;
import java.util.List;

/**
 * The literal runs a string-pattern rule value guarantees in every value it matches. The value is read with the
 * spec's escaping exactly as the matchers read it: a backslash escapes {@code *}, {@code ?} and itself, any other
 * backslash is literal; unescaped {@code *} and {@code ?} are wildcards and end a run. With {@code windash} every
 * dash character may stand for another one, so it ends a run too. The matchers compare supplementary characters
 * by code point, which char-by-char folding does not reproduce, so a surrogate pair stays in a run only when its code
 * point equals, ignoring case, nothing but itself (emoji do; Deseret letters do not); other surrogates end the run.
 */
final class ValueLiterals {
    private ValueLiterals() {
    }

    /** The longest run, or "" when there is none. */
    static String longest(String raw, boolean windash) {
        String best = "";
        for (String run : runs(raw, windash)) {
            if (run.length() > best.length()) {
                best = run;
            }
        }
        return best;
    }

    /** The value when all of it is one literal run (no wildcard, no dash under windash...), else null. */
    static String whole(String raw, boolean windash) {
        List<String> runs = runs(raw, windash);
        return runs.size() == 1 && runs.get(0).length() == unescapedLength(raw) ? runs.get(0) : null;
    }

    private static int unescapedLength(String raw) {
        int length = 0;
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '\\' && i + 1 < raw.length() && isEscapable(raw.charAt(i + 1))) {
                i++;
            }
            length++;
        }
        return length;
    }

    static List<String> runs(String raw, boolean windash) {
        List<String> runs = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean literal;
            if (c == '\\' && i + 1 < raw.length() && isEscapable(raw.charAt(i + 1))) {
                c = raw.charAt(++i);
                literal = true;
            } else {
                literal = c != '*' && c != '?';
            }
            literal &= !(windash && isDash(c));
            if (literal && Character.isHighSurrogate(c) && i + 1 < raw.length()
                    && CaselessCodePoints.contains(Character.toCodePoint(c, raw.charAt(i + 1)))) {
                run.append(c).append(raw.charAt(++i));
            } else if (literal && !Character.isSurrogate(c)) {
                run.append(c);
            } else if (!run.isEmpty()) {
                runs.add(run.toString());
                run.setLength(0);
            }
        }
        if (!run.isEmpty()) {
            runs.add(run.toString());
        }
        return runs;
    }

    private static boolean isEscapable(char c) {
        return c == '*' || c == '?' || c == '\\';
    }

    /** The characters {@code windash} makes interchangeable: - / en dash, em dash, horizontal bar. */
    private static boolean isDash(char c) {
        return c == '-' || c == '/' || c >= '\u2013' && c <= '\u2015';
    }
}
