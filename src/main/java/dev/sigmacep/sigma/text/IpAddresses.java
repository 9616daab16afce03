package dev.sigmacep.sigma.text;

/**
 * Allocation-free parsing of textual IP addresses for the {@code cidr} matcher. IPv4 is dotted decimal; IPv6 is
 * RFC 4291 text (with {@code ::} compression, an optional dotted IPv4 tail and an optional {@code %zone}).
 */
public final class IpAddresses {
    public static final long INVALID = -1;

    private IpAddresses() {
    }

    /** The IPv4 address in {@code text[from, to)} as an unsigned 32-bit number, or {@link #INVALID}. */
    public static long ipv4(String text, int from, int to) {
        long address = 0;
        int octets = 0;
        int i = from;
        while (octets < 4) {
            int start = i;
            int octet = 0;
            while (i < to && i - start < 3 && isDecimalDigit(text.charAt(i))) {
                octet = octet * 10 + (text.charAt(i++) - '0');
            }
            if (i == start || octet > 255) {
                return INVALID;
            }
            address = (address << 8) | octet;
            octets++;
            if (octets < 4) {
                if (i >= to || text.charAt(i) != '.') {
                    return INVALID;
                }
                i++;
            }
        }
        return i == to ? address : INVALID;
    }

    /**
     * Whether {@code text} is an IPv6 address whose bits, masked by {@code mask}, equal {@code network}. 128-bit
     * values are (high, low) pairs of longs; a zero mask checks the syntax only. Keeps the parsed address in locals
     * so that nothing is allocated.
     */
    public static boolean ipv6InNetwork(String text, long networkHigh, long networkLow, long maskHigh, long maskLow) {
        int zone = text.indexOf('%');
        int end = zone < 0 ? text.length() : zone;
        long headHigh = 0;
        long headLow = 0;
        long tailHigh = 0;
        long tailLow = 0;
        int headGroups = 0;
        int tailGroups = 0;
        boolean compressed = text.startsWith("::");
        int i = compressed ? 2 : 0;
        while (i < end) {
            int start = i;
            int group = 0;
            while (i < end && i - start < 4 && hexValue(text.charAt(i)) >= 0) {
                group = (group << 4) | hexValue(text.charAt(i++));
            }
            int groups = 1;
            long bits = group;
            if (i < end && text.charAt(i) == '.') {
                bits = ipv4(text, start, end);
                groups = 2;
                i = end;
                if (bits == INVALID) {
                    return false;
                }
            } else if (i == start) {
                return false;
            }
            if (headGroups + tailGroups + groups > 8) {
                return false;
            }
            int shift = 16 * groups;
            if (compressed) {
                tailHigh = (tailHigh << shift) | (tailLow >>> (64 - shift));
                tailLow = (tailLow << shift) | bits;
                tailGroups += groups;
            } else {
                headHigh = (headHigh << shift) | (headLow >>> (64 - shift));
                headLow = (headLow << shift) | bits;
                headGroups += groups;
            }
            if (i == end) {
                break;
            }
            if (text.charAt(i) != ':') {
                return false;
            }
            if (i + 1 < end && text.charAt(i + 1) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i += 2;
            } else if (++i == end) {
                return false;
            }
        }
        int groups = headGroups + tailGroups;
        if (compressed ? groups > 7 : groups != 8) {
            return false;
        }
        // the head groups go to the top of the address, the tail groups stay at the bottom
        for (int g = headGroups; g < 8; g++) {
            headHigh = (headHigh << 16) | (headLow >>> 48);
            headLow <<= 16;
        }
        return ((headHigh | tailHigh) & maskHigh) == networkHigh && ((headLow | tailLow) & maskLow) == networkLow;
    }

    private static boolean isDecimalDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** ASCII hex digits only: Character.digit would also take non-ASCII digits. */
    private static int hexValue(char c) {
        if (isDecimalDigit(c)) {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }
}
