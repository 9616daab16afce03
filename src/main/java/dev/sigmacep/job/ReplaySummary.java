package dev.sigmacep.cli;

import dev.sigmacep.job.Replay;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** The table printed to stderr at the end of a replay. */
final class ReplaySummary {
    private ReplaySummary() {
    }

    static void print(PrintStream err, int files, Replay.Result r, Path deadLetterFile) {
        double seconds = r.wallTime().toNanos() / 1e9;
        err.println();
        err.println("sigma-cep replay summary");
        row(err, "input files", String.format("%,d", files));
        row(err, "records read", String.format("%,d", r.recordsRead()));
        row(err, "events decoded", String.format("%,d", r.events()));
        for (Map.Entry<String, Long> format : r.eventsByFormat().entrySet()) {
            row(err, "  " + format.getKey(), String.format("%,d", format.getValue()));
        }
        row(err, "dead-lettered", String.format("%,d", r.deadLetters())
                + (r.deadLetters() > 0 && deadLetterFile == null ? "  (keep them with --dead-letter FILE)" : ""));
        row(err, "late (event, correlation) pairs", String.format("%,d", r.lateEvents()));
        row(err, "not correlated: group-by field missing", String.format("%,d", r.missingGroupByField()));
        row(err, "events matching a rule", String.format("%,d", r.matchedEvents()));
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
