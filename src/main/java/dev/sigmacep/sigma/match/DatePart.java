package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.model.Modifier;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.temporal.IsoFields;

/**
 * The time modifiers: a part of a timestamp value as written, e.g. {@code 2024-05-17 08:30:00.123} (Sysmon
 * UtcTime) or {@code 2024-05-17T08:30:00Z}. As the spec says, no time zone or format conversion happens: the parts
 * are read from their positions in the text.
 */
enum DatePart {
    MINUTE, HOUR, DAY, WEEK, MONTH, YEAR;

    static final int NONE = -1;

    static DatePart of(Modifier modifier) {
        return valueOf(modifier.name());
    }

    /** The part of a {@code yyyy-MM-dd[( |T)HH:mm...]} string, or {@link #NONE} when it has no such part. */
    int partOf(Object value) {
        if (!(value instanceof String text) || text.length() < 10 || !isDate(text)) {
            return NONE;
        }
        return switch (this) {
            case YEAR -> digits(text, 0, 4);
            case MONTH -> digits(text, 5, 2);
            case DAY -> digits(text, 8, 2);
            case WEEK -> isoWeek(text);
            case HOUR -> hasTime(text) ? digits(text, 11, 2) : NONE;
            case MINUTE -> hasTime(text) ? digits(text, 14, 2) : NONE;
        };
    }

    private static boolean isDate(String text) {
        return digits(text, 0, 4) >= 0 && text.charAt(4) == '-' && digits(text, 5, 2) >= 0 && text.charAt(7) == '-'
                && digits(text, 8, 2) >= 0;
    }

    private static boolean hasTime(String text) {
        return text.length() >= 16 && (text.charAt(10) == 'T' || text.charAt(10) == ' ') && digits(text, 11, 2) >= 0
                && text.charAt(13) == ':' && digits(text, 14, 2) >= 0;
    }

    /** ISO-8601 week of the week-based year (1 to 53). */
    private static int isoWeek(String text) {
        try {
            return LocalDate.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2))
                    .get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        } catch (DateTimeException e) {
            return NONE;
        }
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return NONE;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
