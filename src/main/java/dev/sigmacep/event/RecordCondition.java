package dev.sigmacep.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test on a JSON record from the mapping file: each path must be present ({@code "*"}) or have the given value
 * (ignoring case; an array holds the value when one of its elements does).
 */
final class RecordCondition {
    private static final String PRESENT = "*";

    private record Entry(SourcePath path, String expected) {
    }

    private final List<Entry> entries = new ArrayList<>();

    RecordCondition(Map<String, Object> spec, RecordPaths paths) {
        spec.forEach((path, value) -> {
            String expected = String.valueOf(value);
            int role = expected.equals(PRESENT) ? RecordPaths.VALUE : RecordPaths.MATCHED;
            entries.add(new Entry(paths.path(path, role), expected));
        });
    }

    boolean holds(RecordReader record) {
        for (Entry entry : entries) {
            int location = record.locate(entry.path);
            if (location < 0) return false;
            if (!entry.expected.equals(PRESENT) && !record.holds(location, entry.expected)) return false;
        }
        return true;
    }
}
