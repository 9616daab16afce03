package dev.sigmacep.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Streams one JSON record token by token and keeps only what the formats read ({@link RecordPaths}): the value at
 * each location met, the members of event-data objects and the elements of arrays that are compared with values.
 * Everything else is skipped without being turned into Strings. Then answers the formats' lookups.
 *
 * <p>Values are kept as the tree decoder's {@code JsonNode.asText()} gave them: strings as they are, integers in
 * decimal, other numbers as {@code Double.toString}, booleans as {@code true}/{@code false}. A member name that
 * occurs twice in an object counts once, with its last value, as in a Jackson tree.
 *
 * <p>One record at a time; reused from record to record (a location's value belongs to the current record only
 * when its stamp is the record's number, so nothing is cleared between records).
 */
final class RecordReader {
    static final byte STRING = 1;
    static final byte NUMBER = 2;
    static final byte BOOLEAN = 3;
    static final byte NULL = 4;
    static final byte OBJECT = 5;
    static final byte ARRAY = 6;

    /** What a field rule gets for an object or array where it expects a value. */
    enum Composite {
        OBJECT("object"), ARRAY("array");

        final String label;

        Composite(String label) {
            this.label = label;
        }
    }

    private static final int ENTRIES = 64;
    /** Only to quote an object or array found where an event time belongs (a dead letter's reason). */
    private static final ObjectMapper TREE_TEXT = new ObjectMapper();

    private final RecordPaths paths;
    private final ValueInterner values;

    private int record;
    private final int[] stamps;
    private final byte[] kinds;
    private final String[] texts;
    /** Event-data objects and matched arrays: where their entries start. */
    private final int[] firstEntries;
    /** Objects and arrays at time locations: their text, for the dead letter's reason. */
    private final Object[] spanSources;
    /** At {@link RecordPaths#ONLY_MEMBER} locations: the name of the member there, null when there were several. */
    private final String[] onlyMemberNames;
    private final int[] spanStarts;
    private final int[] spanEnds;
    /** The text being read: a String, or UTF-8 bytes from {@code sourceOffset}. */
    private Object source;
    private int sourceOffset;
    /** Where the UTF-8 bytes being read end. */
    private int sourceEnd;

    /** Members of event-data objects (name, value or null for a non-scalar) and elements of matched arrays. */
    private int[] entryOwners = new int[ENTRIES];
    private String[] entryNames = new String[ENTRIES];
    private String[] entryValues = new String[ENTRIES];
    private int entries;

    RecordReader(RecordPaths paths, ValueInterner values) {
        this.paths = paths;
        this.values = values;
        int n = paths.size();
        stamps = new int[n];
        kinds = new byte[n];
        texts = new String[n];
        firstEntries = new int[n];
        spanSources = new Object[n];
        onlyMemberNames = new String[n];
        spanStarts = new int[n];
        spanEnds = new int[n];
    }

    /** Starts a new record, whose text is {@code raw}: the record itself is the object at the root. */
    void begin(String raw) {
        begin((Object) raw, 0);
    }

    /** Starts a new record parsed from UTF-8 bytes {@code utf8[offset, offset + length)}. */
    void begin(byte[] utf8, int offset, int length) {
        begin((Object) utf8, offset);
        sourceEnd = offset + length;
    }

    private void begin(Object raw, int offset) {
        if (++record == 0) { // after 2^32 records: old stamps could match again
            Arrays.fill(stamps, 0);
            record = 1;
        }
        if (entryOwners.length > 16 * ENTRIES) { // a huge record does not keep its buffers
            entryOwners = new int[ENTRIES];
            entryNames = new String[ENTRIES];
            entryValues = new String[ENTRIES];
        }
        entries = 0;
        source = raw;
        sourceOffset = offset;
        stamps[RecordPaths.ROOT] = record;
        kinds[RecordPaths.ROOT] = OBJECT;
        firstEntries[RecordPaths.ROOT] = 0;
    }

    /**
     * Reads the members of the object whose START_OBJECT the parser has just returned, as location {@code node};
     * name by name, as {@link #skip} explains.
     */
    void readObject(JsonParser parser, int node) throws IOException {
        boolean eventData = paths.has(node, RecordPaths.EVENT_DATA);
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            int child = paths.child(node, name);
            if (child >= 0 && paths.has(child, RecordPaths.ONLY_MEMBER)) child = onlyMember(child, name);
            boolean member = eventData && paths.copies(node, name);
            JsonToken token = parser.nextToken();
            if (child >= 0) claim(child);
            switch (token) {
                case START_OBJECT, START_ARRAY -> {
                    if (member) add(node, name, null);
                    if (child < 0) {
                        skip(parser, token);
                    } else if (token == JsonToken.START_OBJECT) {
                        open(child, OBJECT, parser);
                        readObject(parser, child);
                        close(child, parser);
                    } else {
                        open(child, ARRAY, parser);
                        readArray(parser, child);
                        close(child, parser);
                    }
                }
                case VALUE_NULL -> {
                    if (member) add(node, name, null);
                    if (child >= 0) kinds[child] = NULL;
                }
                default -> {
                    if (member || child >= 0) {
                        String text = scalarText(parser, token);
                        if (member) add(node, name, text);
                        if (child >= 0) set(child, kindOf(token), text);
                    }
                }
            }
        }
    }

    /**
     * Where member {@code name} goes when its object is read as {@code *}: the {@code *} location while it is the
     * object's only member (repeated, it keeps its last value, as in a tree); from a second name on, nowhere, and
     * the location holds null, so that the path is absent.
     */
    private int onlyMember(int location, String name) {
        if (stamps[location] != record) {
            onlyMemberNames[location] = name;
            return location;
        }
        if (name.equals(onlyMemberNames[location])) return location;
        clear(location);
        stamps[location] = record;
        kinds[location] = NULL;
        onlyMemberNames[location] = null;
        return -1;
    }

    /** Elements only where an array is compared with a value; scalars among them, as the tree's value nodes. */
    private void readArray(JsonParser parser, int node) throws IOException {
        if (!paths.has(node, RecordPaths.MATCHED)) {
            skip(parser, JsonToken.START_ARRAY);
            return;
        }
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token.isStructStart()) skip(parser, token);
            else add(node, null, token == JsonToken.VALUE_NULL ? "null" : scalarText(parser, token));
        }
    }

    /**
     * Passes over the value that {@code token} starts. Objects are read name by name ({@code nextFieldName}), as
     * Jackson's tree deserializer reads them: the parser words some errors differently than for {@code nextToken},
     * and a dead letter's reason must not change.
     */
    static void skip(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.START_OBJECT) {
            while (parser.nextFieldName() != null) skip(parser, parser.nextToken());
        } else if (token == JsonToken.START_ARRAY) {
            for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                skip(parser, element);
            }
        }
    }

    /**
     * Makes {@code node} an empty object read from {@code text} (event data that was exported as text), replacing
     * what it held; its members then come from {@link #readObject} or {@link #member}.
     */
    void replaceWithObject(int node, String text) {
        clear(node);
        stamps[node] = record;
        kinds[node] = OBJECT;
        firstEntries[node] = entries;
        source = text;
        sourceOffset = 0;
    }

    /** A member with a string value (event data read from XML). */
    void member(int node, String name, String value) {
        String text = values.intern(value);
        if (paths.copies(node, name)) add(node, name, text);
        int child = paths.child(node, name);
        if (child >= 0) {
            claim(child);
            set(child, STRING, text);
        }
    }

    /** Takes back what {@link #replaceWithObject} put at {@code node}. */
    void unset(int node) {
        clear(node);
    }

    private static byte kindOf(JsonToken token) {
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> NUMBER;
            case VALUE_TRUE, VALUE_FALSE -> BOOLEAN;
            default -> STRING;
        };
    }

    /** The value as the tree's {@code asText()} gave it, shared through the interner. */
    private String scalarText(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            case VALUE_NUMBER_FLOAT:
                return values.intern(Double.toString(parser.getDoubleValue()));
            case VALUE_STRING:
                if (source instanceof byte[] json) { // the parser reads these bytes; its token starts at the quote
                    int quote = sourceOffset + (int) parser.currentTokenLocation().getByteOffset();
                    // checked, so that a parser counting otherwise could only cost the lookup, never a wrong value
                    if (quote >= sourceOffset && quote < sourceEnd && json[quote] == '"') {
                        return values.internJsonString(parser, json, quote + 1, sourceEnd);
                    }
                }
                break;
            case VALUE_NUMBER_INT:
                // JSON integers are written in canonical decimal (no '+', no leading zeros) except -0, which is 0
                if (parser.getTextLength() == 2 && parser.getText().equals("-0")) return "0";
                break;
            default:
                break;
        }
        return values.intern(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    /** Stamps {@code node} for this record; a member name seen again in the same object first drops the old value. */
    private void claim(int node) {
        if (stamps[node] == record) clear(node);
        stamps[node] = record;
    }

    private void clear(int node) {
        stamps[node] = 0;
        for (int child : paths.children(node)) {
            if (stamps[child] == record) clear(child);
        }
    }

    private void set(int node, byte kind, String text) {
        kinds[node] = kind;
        texts[node] = text;
    }

    private void open(int node, byte kind, JsonParser parser) {
        kinds[node] = kind;
        firstEntries[node] = entries;
        if (paths.has(node, RecordPaths.TIME)) {
            spanSources[node] = source;
            spanStarts[node] = offset(parser.currentTokenLocation());
        }
    }

    private void close(int node, JsonParser parser) {
        if (paths.has(node, RecordPaths.TIME)) spanEnds[node] = offset(parser.currentLocation());
    }

    /** Where in the source a location is: characters of a String, bytes of a byte array. */
    private int offset(JsonLocation location) {
        // a parser over a slice of an array counts bytes from the slice's start
        return source instanceof String ? (int) location.getCharOffset() : sourceOffset + (int) location.getByteOffset();
    }

    private void add(int owner, String name, String value) {
        if (entries == entryOwners.length) {
            entryOwners = Arrays.copyOf(entryOwners, entries * 2);
            entryNames = Arrays.copyOf(entryNames, entries * 2);
            entryValues = Arrays.copyOf(entryValues, entries * 2);
        }
        entryOwners[entries] = owner;
        entryNames[entries] = name;
        entryValues[entries] = value;
        entries++;
    }

    // --- lookups, once the record is read ---

    /** The first spelling of {@code path} present in the record, or -1 when there is none or it holds null. */
    int locate(SourcePath path) {
        for (int location : path.locations()) {
            if (stamps[location] == record) return kinds[location] == NULL ? -1 : location;
        }
        return -1;
    }

    byte kind(int location) {
        return kinds[location];
    }

    /** Whether the location's parent holds an object in this record (so that a value can be put there). */
    boolean parentIsObject(int location) {
        int parent = paths.parent(location);
        return parent >= 0 && stamps[parent] == record && kinds[parent] == OBJECT;
    }

    /** A scalar's text. */
    String text(int location) {
        return texts[location];
    }

    /** A scalar's text, or which composite is there; null when the path is absent. For field rules. */
    Object value(SourcePath path) {
        int location = locate(path);
        if (location < 0) return null;
        return switch (kinds[location]) {
            case OBJECT -> Composite.OBJECT;
            case ARRAY -> Composite.ARRAY;
            default -> texts[location];
        };
    }

    /** Whether the value there equals {@code expected} ignoring case, or an array there has such an element. */
    boolean holds(int location, String expected) {
        return switch (kinds[location]) {
            case OBJECT -> false;
            case ARRAY -> {
                for (int i = firstEntries[location]; i < entries; i++) {
                    if (entryOwners[i] == location && entryValues[i].equalsIgnoreCase(expected)) yield true;
                }
                yield false;
            }
            default -> texts[location].equalsIgnoreCase(expected);
        };
    }

    /** The value as a dead letter's reason quotes it: a scalar's text, or an object's or array's JSON. */
    String shown(int location) throws IOException {
        if (kinds[location] != OBJECT && kinds[location] != ARRAY) return texts[location];
        String json = spanSources[location] instanceof String text
                ? text.substring(spanStarts[location], spanEnds[location])
                : new String((byte[]) spanSources[location], spanStarts[location], spanEnds[location] - spanStarts[location],
                        StandardCharsets.UTF_8);
        return TREE_TEXT.readTree(json).toString(); // as the tree decoder wrote it: repeated names once, numbers normalised
    }

    /**
     * Puts the scalar members of the object at {@code location} into {@code fields}, but not those in {@code drop}.
     * A name with spaces, as Windows Defender writes them ({@code Threat Name}), is put without them: Sigma rules
     * say {@code ThreatName}, as SigmaHQ's own tooling normalises these names.
     */
    void copyMembers(int location, NameSet drop, FieldTable fields) {
        // members every format reading this object drops were not kept; if that is this format's list, none is left
        NameSet left = drop == paths.dropped(location) ? null : drop;
        for (int i = firstEntries[location]; i < entries; i++) {
            if (entryOwners[i] != location || left != null && left.contains(entryNames[i])) continue;
            String name = entryNames[i].indexOf(' ') < 0 ? entryNames[i] : entryNames[i].replace(" ", "").intern();
            if (entryValues[i] == null) {
                fields.remove(name); // a repeated name whose last value is not a scalar
            } else {
                fields.put(name, entryValues[i]);
            }
        }
    }
}
