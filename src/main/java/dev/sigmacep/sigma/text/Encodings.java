package dev.sigmacep.sigma.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The byte encodings of the encoding modifiers, as the modifiers appendix defines them. */
public final class Encodings {
    private static final byte[] UTF16_LE_BOM = {(byte) 0xFF, (byte) 0xFE};

    private Encodings() {
    }

    public static byte[] utf16le(String text) {
        return text.getBytes(StandardCharsets.UTF_16LE);
    }

    public static byte[] utf16be(String text) {
        return text.getBytes(StandardCharsets.UTF_16BE);
    }

    /** {@code utf16}: a little-endian byte order mark, then UTF-16LE. */
    public static byte[] utf16WithBom(String text) {
        byte[] body = utf16le(text);
        byte[] out = new byte[UTF16_LE_BOM.length + body.length];
        System.arraycopy(UTF16_LE_BOM, 0, out, 0, UTF16_LE_BOM.length);
        System.arraycopy(body, 0, out, UTF16_LE_BOM.length, body.length);
        return out;
    }

    public static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    /**
     * {@code base64offset}: the parts of the Base64 text of {@code data} that do not depend on its neighbours, for
     * the data starting at each of the three byte offsets modulo 3 inside a larger encoded string. The data is
     * encoded after 0, 1 or 2 filler bytes; the characters that also carry filler bits (0, 2 or 3 at the start) and
     * those that carry bits of unknown following bytes or padding (0, 3 or 2 at the end, by total length modulo 3)
     * are cut off. A variant left empty (data of one or two bytes) is dropped: it would match anything.
     */
    public static List<String> base64Offsets(byte[] data) {
        int[] cutAtStart = {0, 2, 3};
        int[] cutAtEnd = {0, 3, 2};
        List<String> variants = new ArrayList<>(3);
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + data.length];
            System.arraycopy(data, 0, shifted, shift, data.length);
            String encoded = base64(shifted);
            int end = Math.max(cutAtStart[shift], encoded.length() - cutAtEnd[(shifted.length) % 3]);
            String variant = encoded.substring(cutAtStart[shift], end);
            if (!variant.isEmpty()) {
                variants.add(variant);
            }
        }
        return variants;
    }

    /** Bytes as a string of the chars U+0000..U+00FF, so that encoded values can be matched like text. */
    public static String asChars(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1);
    }
}
