package dev.sigmacep.sigma.condition;

import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.model.Condition;
import dev.sigmacep.sigma.yaml.DocumentFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses a Sigma condition into a {@link Condition} tree over the rule's search identifiers.
 *
 * <pre>
 * or_expr  := and_expr ('or' and_expr)*
 * and_expr := not_expr ('and' not_expr)*
 * not_expr := 'not' not_expr | primary
 * primary  := '(' or_expr ')' | ('1' | 'any' | 'all') 'of' ('them' | pattern) | identifier
 * </pre>
 *
 * Precedence is the spec's: {@code or} &lt; {@code and} &lt; {@code not} &lt; {@code x of} &lt; brackets.
 * {@code them} and patterns skip identifiers starting with {@code _} (unless the pattern itself starts with one).
 * {@code any of} is not in the spec but pySigma, the reference implementation, reads it as {@code 1 of}; so do we.
 * Nesting (brackets and {@code not}) is capped at {@link #MAX_DEPTH} so hostile conditions cannot exhaust the stack,
 * and the identifiers a detection's conditions refer to, {@code 1 of}/{@code all of} expanded, at
 * {@link #MAX_REFERENCES}: {@code 1 of sel* and 1 of sel* and ...} over thousands of identifiers would otherwise
 * build a tree of tens of millions of nodes from a 60 KB condition (22 s to compile one such rule; 100,000
 * references take about 0.1 s).
 */
public final class ConditionParser {
    public static final int MAX_DEPTH = 50;
    /** identifier references of one detection after expansion (the largest in SigmaHQ's rules/ has 34) */
    public static final int MAX_REFERENCES = 100_000;
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "of", "them", "all");

    private enum Kind { WORD, OPEN, CLOSE, END }

    private record Token(Kind kind, String text, int column) {
        String describe() {
            return kind == Kind.END ? "end of condition" : "'" + text + "' at column " + column;
        }
    }

    private final String condition;
    /** the search identifiers in the order written ({@code 1 of}/{@code all of} select them in that order) */
    private final List<String> identifiers;
    private final Set<String> known;
    private final List<Token> tokens;
    /** references left to this detection's conditions (shared by the conditions of a list) */
    private final int[] referencesLeft;
    private int next;
    private int depth;

    private ConditionParser(String condition, List<String> identifiers, int[] referencesLeft)
            throws SigmaRuleException {
        this.condition = condition;
        this.identifiers = identifiers;
        this.known = Set.copyOf(identifiers);
        this.referencesLeft = referencesLeft;
        this.tokens = tokenize();
    }

    /**
     * A detection's {@code condition} as written: one condition, or a non-empty list of them, which are OR-linked (the
     * spec: "each of them generates a query").
     *
     * @param identifiers the search identifiers' names, in the order written (used by {@code 1 of}/{@code all of})
     */
    public static Condition parseDetectionCondition(Object condition, List<String> identifiers)
            throws SigmaRuleException {
        int[] referencesLeft = {MAX_REFERENCES};
        if (condition instanceof String text) {
            return parse(text, identifiers, referencesLeft);
        }
        if (condition instanceof List<?> list && !list.isEmpty()) {
            List<Condition> alternatives = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String text)) {
                    throw new SigmaRuleException("detection.condition list holds a non-string item: " + item);
                }
                alternatives.add(parse(text, identifiers, referencesLeft));
            }
            return Condition.or(alternatives);
        }
        throw new SigmaRuleException("detection.condition must be a string or a non-empty list of strings, not "
                + DocumentFields.describe(condition));
    }

    /** Parses one condition over the named search identifiers. */
    public static Condition parse(String condition, List<String> identifiers) throws SigmaRuleException {
        return parse(condition, identifiers, new int[]{MAX_REFERENCES});
    }

    private static Condition parse(String condition, List<String> identifiers, int[] referencesLeft)
            throws SigmaRuleException {
        ConditionParser parser = new ConditionParser(condition, identifiers, referencesLeft);
        if (parser.peek().kind == Kind.END) {
            throw parser.error("is empty");
        }
        Condition result = parser.orExpression();
        Token trailing = parser.peek();
        if (trailing.kind != Kind.END) {
            throw parser.error(trailing.kind == Kind.CLOSE ? "has an unbalanced ')' at column " + trailing.column
                    : "expected 'and' or 'or' but found " + trailing.describe() + caseHint(trailing.text));
        }
        return result;
    }

    private List<Token> tokenize() throws SigmaRuleException {
        List<Token> result = new ArrayList<>();
        int i = 0;
        while (i < condition.length()) {
            char c = condition.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '|') {
                throw error("uses an aggregation expression ('| ...' at column " + (i + 1)
                        + "), which Sigma 2 replaced by correlation rules");
            } else if (c == '(' || c == ')') {
                result.add(new Token(c == '(' ? Kind.OPEN : Kind.CLOSE, String.valueOf(c), i + 1));
                i++;
            } else if (isWordChar(c)) {
                int start = i;
                while (i < condition.length() && isWordChar(condition.charAt(i))) {
                    i++;
                }
                result.add(new Token(Kind.WORD, condition.substring(start, i), start + 1));
            } else {
                throw error("has an unexpected character '" + c + "' at column " + (i + 1));
            }
        }
        result.add(new Token(Kind.END, "", condition.length() + 1));
        return result;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '*';
    }

    private Condition orExpression() throws SigmaRuleException {
        List<Condition> operands = new ArrayList<>();
        operands.add(andExpression());
        while (isWord(peek(), "or")) {
            next++;
            operands.add(andExpression());
        }
        return Condition.or(operands);
    }

    private Condition andExpression() throws SigmaRuleException {
        List<Condition> operands = new ArrayList<>();
        operands.add(notExpression());
        while (isWord(peek(), "and")) {
            next++;
            operands.add(notExpression());
        }
        return Condition.and(operands);
    }

    private Condition notExpression() throws SigmaRuleException {
        if (isWord(peek(), "not")) {
            Token not = tokens.get(next++);
            enter(not);
            Condition operand = notExpression();
            depth--;
            return new Condition.Not(operand);
        }
        return primary();
    }

    private Condition primary() throws SigmaRuleException {
        Token token = tokens.get(next);
        Token previous = next == 0 ? null : tokens.get(next - 1);
        String after = previous == null ? "at the start" : "after '" + previous.text + "'";
        switch (token.kind) {
            case OPEN -> {
                next++;
                enter(token);
                Condition inner = orExpression();
                depth--;
                Token close = peek();
                if (close.kind != Kind.CLOSE) {
                    throw error("has an unbalanced '(' at column " + token.column + ": expected ')' but found "
                            + close.describe());
                }
                next++;
                return inner;
            }
            case CLOSE -> throw error("expected a search identifier " + after + " but found ')' at column "
                    + token.column);
            case END -> throw error("ends " + after + ": expected a search identifier, '(' or 'not'");
            default -> {
                return wordPrimary(token, after);
            }
        }
    }

    private Condition wordPrimary(Token token, String after) throws SigmaRuleException {
        String word = token.text;
        if (isWord(tokens.get(next + 1), "of")) {
            return quantified(token);
        }
        if (KEYWORDS.contains(word) || word.equals("1")) {
            throw error("expected a search identifier " + after + " but found " + token.describe());
        }
        next++;
        if (word.contains("*")) {
            throw error("uses the pattern '" + word + "' at column " + token.column
                    + " outside '1 of'/'all of'");
        }
        if (!known.contains(word)) {
            throw error("references unknown search identifier '" + word + "' at column " + token.column
                    + caseHint(word));
        }
        refer(1, token);
        return new Condition.Identifier(word);
    }

    private Condition quantified(Token quantifier) throws SigmaRuleException {
        boolean all = quantifier.text.equals("all");
        if (!all && !quantifier.text.equals("1") && !quantifier.text.equals("any")) {
            throw error("has '" + quantifier.text + " of' at column " + quantifier.column
                    + ": only '1 of' (or 'any of') and 'all of' are Sigma");
        }
        next += 2; // quantifier, 'of'
        Token target = peek();
        if (target.kind != Kind.WORD || KEYWORDS.contains(target.text) && !target.text.equals("them")) {
            throw error("expected 'them' or a search identifier pattern after '" + quantifier.text + " of' but found "
                    + target.describe());
        }
        next++;
        List<Condition> selected = new ArrayList<>();
        boolean them = target.text.equals("them");
        boolean includeUnderscore = !them && target.text.startsWith("_");
        for (String name : identifiers) {
            if ((includeUnderscore || !name.startsWith("_")) && (them || globMatches(target.text, name))) {
                selected.add(new Condition.Identifier(name));
            }
        }
        if (selected.isEmpty()) {
            throw error("has '" + quantifier.text + " of " + target.text + "' at column " + quantifier.column
                    + ", which matches no search identifier");
        }
        refer(selected.size(), quantifier);
        return all ? Condition.and(selected) : Condition.or(selected);
    }

    /** Glob with '*' only, as the spec defines for identifier patterns. */
    static boolean globMatches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int starP = -1;
        int starN = 0;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starN = n;
            } else if (p < pattern.length() && pattern.charAt(p) == name.charAt(n)) {
                p++;
                n++;
            } else if (starP >= 0) {
                p = starP + 1;
                n = ++starN;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private void enter(Token token) throws SigmaRuleException {
        if (++depth > MAX_DEPTH) {
            throw error("is nested deeper than " + MAX_DEPTH + " levels (at column " + token.column + ")");
        }
    }

    private void refer(int references, Token token) throws SigmaRuleException {
        referencesLeft[0] -= references;
        if (referencesLeft[0] < 0) {
            throw error("refers to more than " + MAX_REFERENCES + " search identifiers with '1 of'/'all of' expanded"
                    + " (at column " + token.column + ")");
        }
    }

    private static String caseHint(String word) {
        return KEYWORDS.contains(word.toLowerCase(Locale.ROOT)) ? " (operators are lower case)" : "";
    }

    private Token peek() {
        return tokens.get(next);
    }

    private static boolean isWord(Token token, String word) {
        return token.kind == Kind.WORD && token.text.equals(word);
    }

    private SigmaRuleException error(String problem) {
        String shown = condition.length() > 120 ? condition.substring(0, 120) + "..." : condition;
        return new SigmaRuleException("condition '" + shown + "' " + problem);
    }
}
