package dev.sigmacep.event;

/**
 * A dotted path into a JSON record ({@code process.parent.executable}, {@code Event.System.TimeCreated.#attributes.SystemTime}),
 * or into the event's own fields (event-specific mappings, which only use its {@link #text}). A member whose name
 * itself contains dots (flattened ECS: {@code "process.executable": ...}) is found as well. {@code .} is the record
 * itself.
 *
 * <p>A JSON path knows its spellings as locations of {@link RecordPaths}, in the order they are looked up: the
 * first spelling present in the record wins (and a JSON null there means absent).
 */
final class SourcePath {
    private static final int[] NO_LOCATIONS = {};

    private final String text;
    private final int[] locations;

    SourcePath(String text, int[] locations) {
        this.text = text;
        this.locations = locations;
    }

    /** A path into the event's own fields. */
    static SourcePath named(String text) {
        return new SourcePath(text, NO_LOCATIONS);
    }

    String text() {
        return text;
    }

    /** The spellings of this path in the record, in lookup order: nested names first. */
    int[] locations() {
        return locations;
    }

    @Override
    public String toString() {
        return text;
    }
}
