package dev.sigmacep.serialize;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds a byte in an array eight bytes at a time: the JIT does not vectorise a search loop that stops early, and
 * finding line ends in records is a per-byte cost of every record read and every alert written.
 */
public final class ByteSearch {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private ByteSearch() {
    }

    /** The index of the first {@code value} in {@code bytes[from, to)}, or -1. */
    public static int indexOf(byte[] bytes, int from, int to, byte value) {
        long pattern = LOW_BITS * (value & 0xff);
        int i = from;
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            long x = (long) LONGS.get(bytes, i) ^ pattern; // a zero byte where the bytes match
            if (((x - LOW_BITS) & ~x & HIGH_BITS) != 0) break; // exact: some byte of these eight matches
        }
        for (; i < to; i++) {
            if (bytes[i] == value) return i;
        }
        return -1;
    }
}
