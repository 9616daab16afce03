package dev.sigmacep.sigma.match;

import java.io.Serializable;

/**
 * Recent results of a pure test of one String value, found again by identity: the decoder hands out one shared
 * instance per recent value, and events repeat most values (image paths, loaded DLLs, call traces), so a field
 * entry with a long value list or {@code contains} searches is tested once per distinct value rather than once
 * per event.
 *
 * <p>Two direct-mapped tables indexed by {@link String#hashCode} (computed by the decoder's interner already, and
 * cached in the String): one of values that passed, one of values that failed. Each slot is a single reference,
 * written whole, so threads may share a memo without locks: a racing reader sees an old or a new value, and
 * whatever it finds there is that value's real result. Nothing is allocated.
 */
final class ValueResultMemo implements Serializable {
    /** longer values are tested, not remembered: hashing a long value the decoder did not intern costs a pass */
    static final int MAX_CHARS = 1024;
    private static final int BITS = 8;

    /** made on first use: most entries of a large pack never meet an event that passes the prefilter */
    private String[] passed;
    private String[] failed;

    /** 1 when the value is remembered as passing, 0 as failing, -1 when it is not remembered. */
    int lookup(String text) {
        String[] passed = this.passed;
        String[] failed = this.failed;
        if (passed == null || failed == null || text.length() > MAX_CHARS) {
            return -1;
        }
        int slot = slot(text);
        if (passed[slot] == text) {
            return 1;
        }
        return failed[slot] == text ? 0 : -1;
    }

    boolean remember(String text, boolean result) {
        if (text.length() <= MAX_CHARS) {
            String[] table = result ? passed : failed;
            if (table == null) { // racing threads may each make tables; one pair wins, and any pair is valid
                String[] newPassed = new String[1 << BITS];
                String[] newFailed = new String[1 << BITS];
                failed = newFailed;
                passed = newPassed;
                table = result ? newPassed : newFailed;
            }
            table[slot(text)] = text;
        }
        return result;
    }

    private static int slot(String text) {
        return (text.hashCode() * 0x9E3779B9) >>> (32 - BITS);
    }
}
