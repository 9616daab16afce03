package dev.sigmacep.sigma.prefilter;

/**
 * The recent String values of one slot (a field, or a position in the event's values) with what scanning them
 * found. The slot's last value is compared first (consecutive events repeat most values); then a small table
 * indexed by a hash of the whole value: call traces, hashes and GUIDs alternate between a few processes and
 * DLLs, so the previous value alone misses most of them.
 */
final class ScanCache {
    /**
     * 64 entries: of 703 chars per event of a real campaign, they leave 48 to scan; 256 would leave 37, the last
     * value alone leaves 283
     */
    private static final int BITS = 6;

    /** created as needed, so that slots of rare fields stay small */
    private final ScanMemo[] entries = new ScanMemo[1 << BITS];
    /** the entry of the last value found or recorded; at first an empty memo, which holds nothing */
    private ScanMemo last = new ScanMemo();
    /** the entry where the value {@link #find} missed goes */
    private int missed;

    /** The memo holding this value, or null: then {@link #recordInto} takes the value's scan. */
    ScanMemo find(String text) {
        if (last.holds(text)) {
            return last;
        }
        missed = hash(text) >>> (32 - BITS);
        ScanMemo entry = entries[missed];
        if (entry != null && entry.holds(text)) {
            last = entry;
            return entry;
        }
        return null;
    }

    /** The memo to record the scan of the value {@link #find} just missed. */
    ScanMemo recordInto(String text) {
        ScanMemo entry = entries[missed];
        if (entry == null) {
            entry = entries[missed] = new ScanMemo();
        }
        entry.start(text);
        last = entry;
        return entry;
    }

    /**
     * Not {@link String#hashCode}: that is one serial multiply-add chain per char (JDK 17), cached only in the
     * String, and every event brings new Strings. Four interleaved chains do not wait on each other.
     */
    private static int hash(String text) {
        int n = text.length();
        int a = n;
        int b = 0;
        int c = 0;
        int d = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            a = 31 * a + text.charAt(i);
            b = 31 * b + text.charAt(i + 1);
            c = 31 * c + text.charAt(i + 2);
            d = 31 * d + text.charAt(i + 3);
        }
        for (; i < n; i++) {
            a = 31 * a + text.charAt(i);
        }
        return (((a * 31 + b) * 31 + c) * 31 + d) * 0x9E3779B9;
    }
}
