package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.model.FieldSpec;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.text.IpAddresses;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code cidr}: whether a textual IP address lies in an IPv4 or IPv6 network. An IPv4 network also contains the
 * IPv4-mapped IPv6 form of its addresses ({@code ::ffff:10.1.2.3}); other values never match.
 */
final class CidrMatcher implements ValueMatcher {
    private static final long IPV4_MAPPED_PREFIX = 0xFFFF_0000_0000L;

    private final boolean ipv4;
    private final long ipv4Network;
    private final long ipv4Mask;
    /** the network as IPv6 (IPv4-mapped for an IPv4 network): high and low 64 bits */
    private final long networkHigh;
    private final long networkLow;
    private final long maskHigh;
    private final long maskLow;

    private CidrMatcher(boolean ipv4, long ipv4Network, int ipv4Prefix, long networkHigh, long networkLow, int prefix) {
        this.ipv4 = ipv4;
        this.ipv4Mask = ipv4Prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - ipv4Prefix)) & 0xFFFF_FFFFL;
        this.ipv4Network = ipv4Network & ipv4Mask;
        this.maskHigh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        this.maskLow = prefix <= 64 ? 0 : -1L << (128 - prefix);
        this.networkHigh = networkHigh & maskHigh;
        this.networkLow = networkLow & maskLow;
    }

    /** Parses {@code address/prefix} (a bare address is a single host); host bits beyond the prefix are ignored. */
    static CidrMatcher parse(FieldSpec spec, String cidr) throws SigmaRuleException {
        String text = cidr.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        long ipv4 = IpAddresses.ipv4(address, 0, address.length());
        int maxPrefix = ipv4 != IpAddresses.INVALID ? 32 : 128;
        if (ipv4 == IpAddresses.INVALID && (address.indexOf('%') >= 0 || !IpAddresses.ipv6InNetwork(address, 0, 0, 0, 0))) {
            throw invalid(spec, cidr, "'" + address + "' is not an IPv4 or IPv6 address");
        }
        int prefix = slash < 0 ? maxPrefix : prefixLength(spec, cidr, text.substring(slash + 1), maxPrefix);
        if (ipv4 != IpAddresses.INVALID) {
            return new CidrMatcher(true, ipv4, prefix, 0, IPV4_MAPPED_PREFIX | ipv4, 96 + prefix);
        }
        byte[] bytes = ipv6Bytes(address);
        return new CidrMatcher(false, 0, 0, bigEndianLong(bytes, 0), bigEndianLong(bytes, 8), prefix);
    }

    private static int prefixLength(FieldSpec spec, String cidr, String prefix, int max) throws SigmaRuleException {
        boolean digits = !prefix.isEmpty() && prefix.length() <= 3 && prefix.chars().allMatch(c -> c >= '0' && c <= '9');
        int length = digits ? Integer.parseInt(prefix) : -1;
        if (length < 0 || length > max) {
            throw invalid(spec, cidr, "the prefix length must be a number from 0 to " + max);
        }
        return length;
    }

    /** Only called on text already checked to be an IPv6 literal, so no name lookup can happen. */
    private static byte[] ipv6Bytes(String literal) {
        try {
            InetAddress address = InetAddress.getByName(literal);
            if (address instanceof Inet4Address) { // Java turns ::ffff:a.b.c.d into IPv4
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
                return mapped;
            }
            return address.getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("validated IPv6 literal rejected: " + literal, e);
        }
    }

    private static long bigEndianLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = offset; i < offset + 8; i++) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }

    private static SigmaRuleException invalid(FieldSpec spec, String cidr, String why) {
        return new SigmaRuleException("invalid CIDR '" + cidr + "' in '" + spec.written() + "': " + why);
    }

    @Override
    public boolean matches(Object value) {
        if (!(value instanceof String text)) {
            return false;
        }
        if (text.indexOf(':') >= 0) {
            return IpAddresses.ipv6InNetwork(text, networkHigh, networkLow, maskHigh, maskLow);
        }
        if (!ipv4) {
            return false;
        }
        long address = IpAddresses.ipv4(text, 0, text.length());
        return address != IpAddresses.INVALID && (address & ipv4Mask) == ipv4Network;
    }
}
