package dev.sigmacep.sigma.text;

import java.util.Arrays;

/**
 * A Sigma string value after escape processing: each character is a literal, a wildcard ({@code *} any run,
 * {@code ?} one character) or, after {@code windash}, a dash that matches any of the five dash characters.
 * Immutable; the transformations return new instances.
 */
public final class WildcardString {
    static final byte LITERAL = 0;
    static final byte ANY_ONE = 1;
    public static final byte ANY_RUN = 2;
    static final byte ANY_DASH = 3;

    /** The dash characters {@code windash} makes interchangeable: - / en dash, em dash, horizontal bar. */
    static boolean isDash(char c) {
        return c == '-' || c == '/' || c >= '\u2013' && c <= '\u2015';
    }

    private final String chars;
    /** kind of each character; its entry in {@link #chars} matters only for literals */
    private final byte[] kinds;

    private WildcardString(String chars, byte[] kinds) {
        this.chars = chars;
        this.kinds = kinds;
    }

    public static WildcardString literal(String text) {
        return new WildcardString(text, new byte[text.length()]);
    }

    /**
     * Reads a rule value with the spec's escaping: a backslash escapes {@code *}, {@code ?} and itself; a
     * backslash before any other character (or at the end) is a plain backslash.
     */
    public static WildcardString parse(String raw) {
        StringBuilder chars = new StringBuilder(raw.length());
        byte[] kinds = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            byte kind = LITERAL;
            if (c == '\\' && i + 1 < raw.length() && isEscapable(raw.charAt(i + 1))) {
                c = raw.charAt(++i);
            } else if (c == '*') {
                kind = ANY_RUN;
            } else if (c == '?') {
                kind = ANY_ONE;
            }
            chars.append(c);
            kinds[n++] = kind;
        }
        return new WildcardString(chars.toString(), Arrays.copyOf(kinds, n));
    }

    private static boolean isEscapable(char c) {
        return c == '*' || c == '?' || c == '\\';
    }

    public int length() {
        return chars.length();
    }

    char charAt(int i) {
        return chars.charAt(i);
    }

    public byte kindAt(int i) {
        return kinds[i];
    }

    /** True when any character is not a plain literal (a wildcard or a windash dash). */
    public boolean hasSpecials() {
        for (byte kind : kinds) {
            if (kind != LITERAL) {
                return true;
            }
        }
        return false;
    }

    /** The characters, for values without specials. */
    public String plain() {
        return chars;
    }

    boolean startsWithAnyRun() {
        return kinds.length > 0 && kinds[0] == ANY_RUN;
    }

    boolean endsWithAnyRun() {
        return kinds.length > 0 && kinds[kinds.length - 1] == ANY_RUN;
    }

    /** {@code contains}: a {@code *} at both ends, unless already there. */
    public WildcardString contained() {
        return startingAnywhere().endingAnywhere();
    }

    /** {@code endswith}: a leading {@code *}, unless already there. */
    public WildcardString startingAnywhere() {
        if (startsWithAnyRun()) {
            return this;
        }
        byte[] newKinds = new byte[kinds.length + 1];
        newKinds[0] = ANY_RUN;
        System.arraycopy(kinds, 0, newKinds, 1, kinds.length);
        return new WildcardString("*" + chars, newKinds);
    }

    /** {@code startswith}: a trailing {@code *}, unless already there. */
    public WildcardString endingAnywhere() {
        if (endsWithAnyRun()) {
            return this;
        }
        byte[] newKinds = Arrays.copyOf(kinds, kinds.length + 1);
        newKinds[kinds.length] = ANY_RUN;
        return new WildcardString(chars + "*", newKinds);
    }

    /** {@code windash}: every literal dash character matches any of the five dash characters. */
    public WildcardString withDashesInterchangeable() {
        byte[] newKinds = kinds.clone();
        for (int i = 0; i < newKinds.length; i++) {
            if (newKinds[i] == LITERAL && isDash(chars.charAt(i))) {
                newKinds[i] = ANY_DASH;
            }
        }
        return new WildcardString(chars, newKinds);
    }

    /** The value written back with Sigma escapes (reading it gives this value again), for messages. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(chars.length());
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            boolean literal = kinds[i] == LITERAL;
            if (literal && (c == '*' || c == '?')) {
                out.append('\\');
            } else if (literal && c == '\\' && i + 1 < chars.length() && isEscapable(chars.charAt(i + 1))) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
