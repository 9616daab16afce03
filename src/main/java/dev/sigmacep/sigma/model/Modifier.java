package dev.sigmacep.sigma.model;

import java.util.Locale;

/** The value modifiers of the Sigma modifiers appendix (v2.1), by the kind of value they work on. */
public enum Modifier {
    ALL(Kind.GENERIC), NEQ(Kind.GENERIC), CASED(Kind.GENERIC),
    CONTAINS(Kind.POSITION), STARTSWITH(Kind.POSITION), ENDSWITH(Kind.POSITION),
    WINDASH(Kind.STRING), EXPAND(Kind.STRING),
    BASE64(Kind.STRING), BASE64OFFSET(Kind.STRING),
    UTF16LE(Kind.STRING), UTF16BE(Kind.STRING), UTF16(Kind.STRING), WIDE(Kind.STRING),
    RE(Kind.TYPE), I(Kind.REGEX_FLAG), M(Kind.REGEX_FLAG), S(Kind.REGEX_FLAG),
    CIDR(Kind.TYPE), EXISTS(Kind.TYPE), FIELDREF(Kind.TYPE),
    LT(Kind.COMPARISON), LTE(Kind.COMPARISON), GT(Kind.COMPARISON), GTE(Kind.COMPARISON),
    MINUTE(Kind.DATE_PART), HOUR(Kind.DATE_PART), DAY(Kind.DATE_PART),
    WEEK(Kind.DATE_PART), MONTH(Kind.DATE_PART), YEAR(Kind.DATE_PART);

    public enum Kind { GENERIC, POSITION, STRING, TYPE, REGEX_FLAG, COMPARISON, DATE_PART }

    public final Kind kind;
    /** the name as written in a rule */
    public final String token;

    Modifier(Kind kind) {
        this.kind = kind;
        this.token = name().toLowerCase(Locale.ROOT);
    }

    /** The modifier written as {@code token}, or null: modifier names are case-sensitive in Sigma. */
    public static Modifier byToken(String token) {
        for (Modifier modifier : values()) {
            if (modifier.token.equals(token)) {
                return modifier;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return token;
    }
}
