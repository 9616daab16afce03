package dev.sigmacep.event;

/**
 * Parses the timestamps found in Windows telemetry into epoch microseconds, without regex or
 * {@code DateTimeFormatter} (this runs once per record):
 * {@code 2023-09-05 16:46:33.808} (Sysmon UtcTime: UTC, no zone), {@code 2020-10-20T22:33:02.059170Z},
 * {@code 2022-05-13T08:54:05.1230000Z}, {@code 2019-05-18T20:37:16.197067800Z}, {@code 2019-12-24 23:52:48},
 * {@code 2024-03-12T10:00:00+01:00} / {@code +0100} / {@code +01}. Digits beyond microseconds are truncated.
 * A time without a zone is taken as UTC.
 */
public final class EventTimeParser {

    /** Returned when the text is not a timestamp. */
    public static final long INVALID = Long.MIN_VALUE;

    private EventTimeParser() {
    }

    /** Epoch microseconds of {@code text}, or {@link #INVALID}. */
    public static long parse(String text) {
        String s = text.strip();
        int n = s.length();
        if (n < 19) return INVALID;
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60
                || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return INVALID;
        }
        char sep = s.charAt(10);
        if (sep != 'T' && sep != ' ' && sep != 't') return INVALID;

        int i = 19;
        long micros = 0;
        if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
            i++;
            int start = i;
            long scale = 100_000;
            while (i < n && isDigit(s.charAt(i))) {
                micros += (s.charAt(i) - '0') * scale;
                scale /= 10;
                i++;
            }
            if (i == start) return INVALID;
        }

        int offsetSeconds = 0;
        if (i < n) {
            char z = s.charAt(i);
            if ((z == 'Z' || z == 'z') && i == n - 1) {
                i++;
            } else if (z == '+' || z == '-') {
                offsetSeconds = offsetSeconds(s, i + 1);
                if (offsetSeconds < 0) return INVALID;
                if (z == '-') offsetSeconds = -offsetSeconds;
                i = n;
            } else {
                return INVALID;
            }
        }

        long epochSeconds = daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second
                - offsetSeconds;
        return epochSeconds * 1_000_000L + micros;
    }

    /**
     * Epoch microseconds of a JSON number: epoch seconds, milliseconds or microseconds, told apart by magnitude
     * (seconds below 1e11 reach year 5138; milliseconds below 1e14 likewise).
     */
    public static long fromEpochNumber(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) return INVALID;
        // rounded: 1710237243.118 is 1710237243117999.9... in binary and must not become .117
        if (value < 1e11) return Math.round(value * 1_000_000d);
        if (value < 1e14) return Math.round(value * 1_000d);
        if (value < 1e17) return Math.round(value);
        return INVALID;
    }

    /** Seconds of an offset {@code hh}, {@code hh:mm} or {@code hhmm} starting at {@code i}; -1 if malformed. */
    private static int offsetSeconds(String s, int i) {
        int n = s.length();
        int hours = digits(s, i, 2);
        int minutes;
        if (n == i + 2) {
            minutes = 0;
        } else if (n == i + 5 && s.charAt(i + 2) == ':') {
            minutes = digits(s, i + 3, 2);
        } else if (n == i + 4) {
            minutes = digits(s, i + 2, 2);
        } else {
            return -1;
        }
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) return -1;
        return hours * 3600 + minutes * 60;
    }

    /** The non-negative number in {@code s[from, from+count)}, or -1 if those are not all digits. */
    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) return -1;
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }
}
