package dev.sigmacep.yaml;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the project's files write them: a whole number and a unit, {@code ms}, {@code s}, {@code m},
 * {@code h} or {@code d} ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}). Sigma correlation
 * timespans (the spec's s, m, h, d), job settings and command-line options all take this form. Units are
 * case-sensitive: {@code 5M} is not five minutes.
 */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    /** Flink takes durations in milliseconds */
    private static final Duration LONGEST = Duration.ofMillis(Long.MAX_VALUE);

    private Durations() {
    }

    /**
     * @param what the setting, for the message (e.g. {@code correlation.timespan})
     * @throws IllegalArgumentException naming {@code what} and the text, when it is not a duration or too long
     */
    public static Duration parse(String text, String what) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a duration (a whole number and a unit:"
                    + " ms, s, m, h or d, e.g. 500ms, 30s, 5m, 1h, 1d)");
        }
        Duration unit = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        try {
            Duration duration = unit.multipliedBy(Long.parseLong(m.group(1)));
            if (duration.compareTo(LONGEST) <= 0) {
                return duration;
            }
        } catch (NumberFormatException | ArithmeticException tooManyDigits) {
            // reported below, as a duration beyond LONGEST is
        }
        throw new IllegalArgumentException(what + " '" + text + "' is too long (at most "
                + LONGEST.toDays() + "d)");
    }

    /** As {@link #parse}, for durations that must be longer than zero (a correlation's timespan, a timeout). */
    public static Duration parsePositive(String text, String what) {
        Duration duration = parse(text, what);
        if (duration.isZero()) {
            throw new IllegalArgumentException(what + " '" + text + "' must be longer than zero");
        }
        return duration;
    }
}
