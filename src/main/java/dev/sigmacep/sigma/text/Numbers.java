package dev.sigmacep.sigma.text;

/**
 * Reading numbers from event values without allocating on the integer path: decimal integers, {@code 0x} hex
 * integers (as Windows events often write them) and decimal fractions. Anything else is not a number.
 */
public final class Numbers {
    private Numbers() {
    }

    /** Whether the text is a decimal integer that fits a long, with an optional sign. */
    public static boolean isDecimalInteger(String text) {
        int start = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        int digits = text.length() - start;
        return digits > 0 && digits <= 18 && allDigits(text, start, text.length(), 10);
    }

    /** Whether the text is {@code 0x} followed by at most 15 hex digits. */
    public static boolean isHexInteger(String text) {
        return text.length() > 2 && text.length() <= 17 && (text.startsWith("0x") || text.startsWith("0X"))
                && allDigits(text, 2, text.length(), 16);
    }

    /** Whether the text is a decimal number with a fraction or an exponent, e.g. {@code -1.5} or {@code 2e3}. */
    public static boolean isDecimalFraction(String text) {
        int i = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        int integerDigits = countDigits(text, i);
        i += integerDigits;
        int fractionDigits = 0;
        if (i < text.length() && text.charAt(i) == '.') {
            fractionDigits = countDigits(text, i + 1);
            i += 1 + fractionDigits;
        }
        if (integerDigits + fractionDigits == 0) {
            return false;
        }
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int sign = i + 1 < text.length() && (text.charAt(i + 1) == '-' || text.charAt(i + 1) == '+') ? 1 : 0;
            int exponentDigits = countDigits(text, i + 1 + sign);
            i = exponentDigits == 0 ? -1 : i + 1 + sign + exponentDigits;
        }
        return i == text.length();
    }

    public static long parseInteger(String text) {
        return isHexInteger(text) ? Long.parseLong(text, 2, text.length(), 16) : Long.parseLong(text);
    }

    private static int countDigits(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }

    private static boolean allDigits(String text, int from, int to, int radix) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean digit = c >= '0' && c <= '9' || radix == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f';
            if (!digit) {
                return false;
            }
        }
        return true;
    }
}
