package dev.sigmacep.job;

import java.io.PrintStream;
import java.util.Map;

/**
 * The table printed at the end of a replay: to stderr by {@code bin/sigma-cep replay}, to stdout by the replay on a
 * cluster ({@code flink run} shows the client's output).
 */
public final class ReplaySummary {
    private ReplaySummary() {
    }

    /**
     * @param input           what was read, e.g. "3 files"
     * @param deadLettersKept whether dead letters were written somewhere (else the table says how to keep them)
     */
    public static void print(PrintStream err, String input, Replay.Result r, boolean deadLettersKept) {
        double seconds = r.wallTime().toNanos() / 1e9;
        err.println();
        err.println("sigma-cep replay summary");
        row(err, "input", input);
        row(err, "records read", String.format("%,d", r.recordsRead()));
        row(err, "events decoded", String.format("%,d", r.events()));
        for (Map.Entry<String, Long> format : r.eventsByFormat().entrySet()) {
            row(err, "  " + format.getKey(), String.format("%,d", format.getValue()));
        }
        row(err, "dead-lettered", String.format("%,d", r.deadLetters())
                + (r.deadLetters() > 0 && !deadLettersKept ? "  (keep them with --dead-letter FILE)" : ""));
        row(err, "late (event, correlation) pairs", String.format("%,d", r.lateEvents()));
        row(err, "not correlated: group-by field missing", String.format("%,d", r.missingGroupByField()));
        if (r.overCap() > 0) { // correlation-state caps reached: a flood or a key explosion
            row(err, "not correlated: over a state cap", String.format("%,d", r.overCap()));
        }
        row(err, "events matching a rule", String.format("%,d", r.matchedEvents()));
        if (r.internalErrors() > 0) { // bugs: each (event, rule) is logged with its stack trace and dead-lettered
            row(err, "internal errors in detection (bugs: see log)", String.format("%,d", r.internalErrors()));
        }
        row(err, "alerts", String.format("%,d", r.alerts()));
        for (Map.Entry<String, Long> rule : r.alertsByRule().entrySet()) {
            row(err, "  " + rule.getKey(), String.format("%,d", rule.getValue()));
        }
        row(err, "wall time", String.format("%.1f s", seconds));
        row(err, "throughput", String.format("%,.0f events/s", r.events() / Math.max(seconds, 1e-9)));
    }

    private static void row(PrintStream err, String label, String value) {
        err.printf("  %-44s %15s%n", label, value);
    }
}
