package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.model.FieldSpec;
import dev.sigmacep.sigma.SigmaRuleException;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code expand}: substitutes every {@code %name%} placeholder of a value with each of its configured values,
 * giving one value per combination. Placeholder values are Sigma patterns themselves (wildcards apply), so the
 * substitution works on the value as written, before escapes are read; {@code \%} is a plain percent sign.
 */
final class Placeholders {
    /**
     * values one rule value may expand to: combinations multiply, so {@code %p%} written 30 times with two values
     * for p would be 2^30 values (the heap runs out)
     */
    static final int MAX_EXPANSIONS = 10_000;

    private Placeholders() {
    }

    static List<String> expand(FieldSpec spec, String written, MatchContext ctx) throws SigmaRuleException {
        List<StringBuilder> results = new ArrayList<>(List.of(new StringBuilder()));
        int i = 0;
        while (i < written.length()) {
            char c = written.charAt(i);
            int close = c == '%' ? written.indexOf('%', i + 1) : -1;
            if (c == '\\' && i + 1 < written.length() && (written.charAt(i + 1) == '%' || written.charAt(i + 1) == '\\')) {
                // \% is a plain percent; \\ stays an escaped backslash for the wildcard reader, so \\%x% is a placeholder
                appendToAll(results, written.charAt(i + 1) == '%' ? "%" : "\\\\");
                i += 2;
            } else if (close > i + 1) {
                String name = written.substring(i + 1, close);
                List<String> values = ctx.placeholder(name);
                if (values == null) {
                    throw new SigmaRuleException("placeholder %" + name + "% in '" + spec.written()
                            + "' has no value in the placeholder configuration");
                }
                if ((long) results.size() * values.size() > MAX_EXPANSIONS) {
                    throw new SigmaRuleException("'" + spec.written() + "' expands to more than " + MAX_EXPANSIONS
                            + " values (each placeholder multiplies them)");
                }
                results = combine(results, values);
                i = close + 1;
            } else {
                appendToAll(results, String.valueOf(c));
                i++;
            }
        }
        List<String> expanded = new ArrayList<>(results.size());
        for (StringBuilder result : results) {
            expanded.add(result.toString());
        }
        return expanded;
    }

    private static void appendToAll(List<StringBuilder> results, String text) {
        for (StringBuilder result : results) {
            result.append(text);
        }
    }

    private static List<StringBuilder> combine(List<StringBuilder> prefixes, List<String> values) {
        List<StringBuilder> combined = new ArrayList<>(prefixes.size() * values.size());
        for (StringBuilder prefix : prefixes) {
            for (String value : values) {
                combined.add(new StringBuilder(prefix).append(value));
            }
        }
        return combined;
    }
}
