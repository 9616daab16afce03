package dev.sigmacep.correlate;

import dev.sigmacep.sigma.rule.CorrelationRule;

import java.util.Arrays;

/** What a counting or value correlation compares with its condition, computed over a group's window. */
final class Measure {
    private Measure() {
    }

    /**
     * @param percentile for the percentile types: which percentile (0-100) of the numbers, with linear
     *                   interpolation between the closest ranks (as numpy's default and RSigma compute it)
     */
    static double of(CorrelationRule.Type type, AggregateWindow window, double percentile) {
        return switch (type) {
            case EVENT_COUNT, VALUE_COUNT -> window.size();
            case VALUE_SUM -> sum(window.numbers());
            case VALUE_AVG -> window.size() == 0 ? Double.NaN : sum(window.numbers()) / window.size();
            case VALUE_PERCENTILE, VALUE_MEDIAN -> percentile(window.numbers(), percentile);
            case TEMPORAL, TEMPORAL_ORDERED -> throw new IllegalArgumentException(type + " has no measure");
        };
    }

    /** Summed oldest first, so a window gives the same sum however it was reached. */
    private static double sum(double[] numbers) {
        double sum = 0;
        for (double number : numbers) {
            sum += number;
        }
        return sum;
    }

    static double percentile(double[] numbers, double percentile) {
        if (numbers.length == 0) {
            return Double.NaN;
        }
        double[] sorted = numbers.clone();
        Arrays.sort(sorted);
        double rank = percentile / 100 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}
