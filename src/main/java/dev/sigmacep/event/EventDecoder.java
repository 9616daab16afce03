package dev.sigmacep.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sigmacep.log.RateLimitedLog;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Recognises a JSON record's shape (flat Sysmon, evtx_dump, Winlogbeat legacy, ECS, Sentinel export, Sentinel ASIM
 * rows) and maps it to the canonical event with the field mappings in resource {@code /event/field-mappings.yaml}.
 * Never throws: a record that cannot be decoded becomes a dead letter with the reason. Keeps its parser factory,
 * value interner and per-record buffers, so create one per operator instance rather than per record. Not
 * thread-safe: each operator instance or file reader has its own and uses it from one thread.
 *
 * <p>Steps: stream the record once with a Jackson parser (with limits, so hostile input is refused early), keeping
 * only the values that some shape reads ({@link RecordReader}); detect the shape; copy the EventData members, apply
 * the format's field rules, infer a missing EventID, read host and event time, normalise spellings, apply
 * event-specific mappings (Security 4688), and add {@code CommandLineArgCount}. The shape is known only once the
 * whole record is read (a later member can change it), so the mapping works on what was kept.
 */
public final class EventDecoder {
    private static final RateLimitedLog BUGS = new RateLimitedLog(LoggerFactory.getLogger(EventDecoder.class), 10);

    /** Default limit on a record's length; also the splitter's natural limit. */
    public static final int DEFAULT_MAX_RECORD_CHARS = 1 << 20;
    private static final int MAX_NESTING_DEPTH = 64;
    private static final int RECORDS_PER_BUFFERS = 1024;
    static final int MAX_REASON_VALUE_CHARS = 64;
    private static final int MAX_REASON_MESSAGE_CHARS = 160;
    /** What Jackson's mapper said of a second value after the record (the tree decoder's reason, kept). */
    private static final String TRAILING_TOKEN = "Trailing token (of type %s) found after value (bound as `"
            + JsonNode.class.getName() + "`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`";

    public static final String EVENT_ID = "EventID";
    public static final String COMPUTER = "Computer";
    public static final String COMMAND_LINE = "CommandLine";
    public static final String COMMAND_LINE_ARG_COUNT = "CommandLineArgCount";

    private final int maxRecordChars;
    private final JsonFactory json;
    private final FieldMappings mappings;
    private final ValueInterner values = new ValueInterner();
    private Buffers buffers;

    public EventDecoder() {
        this(DEFAULT_MAX_RECORD_CHARS);
    }

    public EventDecoder(int maxRecordChars) {
        this(maxRecordChars, FieldMappings.defaults());
    }

    EventDecoder(int maxRecordChars, FieldMappings mappings) {
        this.maxRecordChars = maxRecordChars;
        this.mappings = mappings;
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(maxRecordChars)
                .maxNameLength(4096)
                .maxNumberLength(64)
                .build();
        this.json = JsonFactory.builder().streamReadConstraints(limits).build();
        this.buffers = new Buffers();
    }

    /**
     * Renewed every {@value #RECORDS_PER_BUFFERS} records, so that they stay in the young generation: a value stored
     * into an old array costs G1 a card check with a memory fence, and a record stores about a hundred.
     */
    private final class Buffers {
        final RecordReader record = new RecordReader(mappings.paths(), values);
        final FieldTable fields = new FieldTable();
        int records;
    }

    /** Decodes one record. */
    public DecodeResult decode(String raw) {
        if (raw == null) return DecodeResult.dead("not JSON: no input", "");
        if (raw.length() > maxRecordChars) return tooLarge(raw, raw.length(), "chars");
        return decode(raw, null, 0, 0, false);
    }

    /**
     * Decodes one record given as UTF-8 bytes (a line of a JSON Lines file); bytes that are not UTF-8 make a dead
     * letter. The limit on a record's length counts bytes here.
     */
    public DecodeResult decodeUtf8(byte[] utf8, int offset, int length) {
        return decodeUtf8(utf8, offset, length, length, false);
    }

    /**
     * Decodes one record whose array the caller hands over (a Kafka record's value, made for it alone): the event
     * keeps that array as its record instead of a copy, so the caller must not change it afterwards.
     */
    public DecodeResult decodeOwnedUtf8(byte[] record) {
        return decodeUtf8(record, 0, record.length, record.length, true);
    }

    /** The next line of a JSON Lines file, decoded; a line longer than the limit is a {@code record too large}. */
    public DecodeResult decodeLine(JsonLines lines) {
        return decodeUtf8(lines.bytes(), lines.offset(), lines.length(), lines.lineBytes(), false);
    }

    /**
     * As {@link #decodeLine(JsonLines)}, for a line of an uncompressed file registered in {@link SourceFiles}: the
     * event also knows where its record lies there ({@link Event#sourceFile()}, {@link Event#sourceOffset()}).
     */
    public DecodeResult decodeLine(JsonLines lines, int sourceFile) {
        DecodeResult result = decodeLine(lines);
        if (result.event() != null) {
            result.event().keepSource(sourceFile, lines.lineStart());
        }
        return result;
    }

    /**
     * @param fullLength the record's length as read: more than {@code length} when a reader kept only its beginning;
     *                   over the limit, the record (or what was kept of it) is a {@code record too large}
     * @param owned      whether the event may keep {@code utf8} itself (the whole array is the record)
     */
    private DecodeResult decodeUtf8(byte[] utf8, int offset, int length, long fullLength, boolean owned) {
        if (fullLength > maxRecordChars) {
            return tooLarge(new String(utf8, offset, length, StandardCharsets.UTF_8), fullLength, "bytes");
        }
        return decode(null, utf8, offset, length, owned);
    }

    /**
     * @param raw  the record's text, to parse; null when it is given as {@code utf8}, the event then keeps those
     *             bytes and makes its text only if asked (a dead letter always has it)
     */
    private DecodeResult decode(String raw, byte[] utf8, int offset, int length, boolean owned) {
        if (++buffers.records == RECORDS_PER_BUFFERS) buffers = new Buffers();
        try {
            String notAnObject = read(raw, utf8, offset, length, buffers.record);
            if (notAnObject != null) return dead(notAnObject, raw, utf8, offset, length);
            FieldMapping format = mappings.detect(buffers.record);
            if (format == null) return dead("unrecognised record shape", raw, utf8, offset, length);
            buffers.fields.clear();
            Event event = map(buffers.record, format, buffers.fields, raw);
            if (raw == null) event.keepUtf8(owned ? utf8 : Arrays.copyOfRange(utf8, offset, offset + length));
            return DecodeResult.ok(event);
        } catch (DecodeFailure e) {
            return dead(e.getMessage(), raw, utf8, offset, length);
        } catch (IOException | RuntimeException e) {
            // a bug, not bad input: logged with its stack trace and counted apart, and the record kept as a dead
            // letter rather than failing the job (one record would otherwise stop it for good)
            BUGS.error("decoder error (the record becomes a dead letter)", e);
            return dead(DeadLetter.INTERNAL_ERROR + e + " (a bug of the decoder; see the log)", raw, utf8, offset,
                    length);
        }
    }

    /**
     * Reads and decodes the splitter's next record; null at the end. A record the splitter had to cut becomes a
     * dead letter {@code record too large}.
     */
    public DecodeResult decodeNext(JsonRecordSplitter splitter) throws IOException {
        if (!splitter.next()) return null;
        return decodeUtf8(splitter.bytes(), 0, splitter.length(), splitter.lastRecordBytes(), false);
    }

    private static DecodeResult dead(String reason, String raw, byte[] utf8, int offset, int length) {
        return DecodeResult.dead(reason, raw != null ? raw : new String(utf8, offset, length, StandardCharsets.UTF_8));
    }

    /** @param unit what the limit counted: chars of a record given as text, bytes of one read as UTF-8 */
    private DecodeResult tooLarge(String rawOrPrefix, long size, String unit) {
        return DecodeResult.dead("record too large (" + size + " " + unit + " > " + maxRecordChars + ")", rawOrPrefix);
    }

    /**
     * Reads the whole record, then one more token, as the tree decoder's {@code readTree} did, so that the same
     * input fails the same way; the reason when it is not one JSON object, else null.
     */
    private String read(String raw, byte[] utf8, int offset, int length, RecordReader record) throws IOException {
        try (JsonParser parser = raw != null ? json.createParser(raw) : json.createParser(utf8, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first == null) return "not JSON: empty input";
            if (raw != null) record.begin(raw);
            else record.begin(utf8, offset, length);
            if (first == JsonToken.START_OBJECT) record.readObject(parser, RecordPaths.ROOT);
            else RecordReader.skip(parser, first);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                return "not JSON: " + shorten(String.format(TRAILING_TOKEN, trailing), MAX_REASON_MESSAGE_CHARS);
            }
            return first == JsonToken.START_OBJECT ? null : "not a JSON object";
        } catch (StreamConstraintsException e) {
            return constraintReason(e);
        } catch (JsonProcessingException e) {
            return "not JSON: " + shorten(withoutLocation(e.getOriginalMessage()), MAX_REASON_MESSAGE_CHARS);
        }
    }

    private Event map(RecordReader record, FieldMapping format, FieldTable fields, String raw) throws IOException {
        copyEventData(record, format, fields);

        Function<SourcePath, Object> json = format.emptyIsAbsent() ? path -> nonEmpty(record.value(path)) : record::value;
        for (FieldRule rule : format.fields()) {
            String value = rule.valueFrom(json);
            if (value != null) fields.put(rule.target(), values.intern(value));
        }
        Object eventId = fields.get(EVENT_ID);
        if (eventId != null) {
            fields.put(EVENT_ID, eventIdOf((String) eventId));
        } else {
            inferEventId(record, format, fields);
        }

        Object host = fields.get(COMPUTER);
        if (host == null || host.toString().isBlank()) throw new DecodeFailure("no host");
        long timeMicros = eventTime(record, format);

        normalize(fields);
        applyEventMappings(fields);
        if (fields.get(COMMAND_LINE) instanceof String commandLine) {
            fields.put(COMMAND_LINE_ARG_COUNT, WindowsCommandLine.argumentCount(commandLine));
        }
        return fields.toEvent(host.toString(), timeMicros, format.format(), raw);
    }

    /**
     * Scalar members of the first event-data path present (EventData, else UserData's element) under their own
     * names, as strings; objects, arrays and nulls are left out.
     */
    private void copyEventData(RecordReader record, FieldMapping format, FieldTable fields) throws IOException {
        for (SourcePath path : format.eventData()) {
            int location = record.locate(path);
            if (location >= 0) {
                copyEventData(record, format, path, location, fields);
                return;
            }
        }
    }

    private void copyEventData(RecordReader record, FieldMapping format, SourcePath path, int location,
                               FieldTable fields) throws IOException {
        if (record.kind(location) == RecordReader.STRING && format.eventDataIsText()) {
            // the parsed object takes the nested spelling's place, if its parent is an object (as the tree decoder
            // replaced it there), so that time paths such as EventData.UtcTime see it
            int nested = path.locations()[0];
            boolean replaces = record.parentIsObject(nested);
            EmbeddedEventData.read(record.text(location), record, nested, json);
            record.copyMembers(nested, format.drop(), fields);
            if (!replaces) record.unset(nested);
        } else if (record.kind(location) == RecordReader.OBJECT) {
            record.copyMembers(location, format.drop(), fields);
        }
    }

    /** A record value, or null for an empty string (formats with {@code empty-is-absent}). */
    private static Object nonEmpty(Object value) {
        return value instanceof String text && text.isEmpty() ? null : value;
    }

    private static Integer eventIdOf(String text) {
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new DecodeFailure("field EventID is not an integer '" + shorten(text, MAX_REASON_VALUE_CHARS) + "'");
        }
    }

    private static void inferEventId(RecordReader record, FieldMapping format, FieldTable fields) {
        for (FieldMapping.Inference inference : format.infer()) {
            if (inference.when().holds(record)) {
                inference.set().forEach((name, value) -> fields.putIfAbsent(name, value instanceof Integer ? value : value.toString()));
                return;
            }
        }
    }

    /**
     * The first present time path decides (an empty one counts as absent where the format says so); if it is not a
     * time, the record is refused rather than guessed.
     */
    private static long eventTime(RecordReader record, FieldMapping format) throws IOException {
        for (SourcePath path : format.time()) {
            int location = record.locate(path);
            if (location < 0) continue;
            if (format.emptyIsAbsent() && record.kind(location) == RecordReader.STRING && record.text(location).isEmpty()) {
                continue;
            }
            long micros = switch (record.kind(location)) {
                case RecordReader.STRING -> EventTimeParser.parse(record.text(location));
                case RecordReader.NUMBER -> EventTimeParser.fromEpochNumber(Double.parseDouble(record.text(location)));
                default -> EventTimeParser.INVALID;
            };
            if (micros == EventTimeParser.INVALID) {
                throw new DecodeFailure("unparseable event time '" + shorten(record.shown(location), MAX_REASON_VALUE_CHARS) + "'");
            }
            return micros;
        }
        throw new DecodeFailure("no event time");
    }

    private void normalize(FieldTable fields) {
        for (FieldMappings.Spellings spellings : mappings.normalize()) {
            if (fields.get(spellings.field()) instanceof String value) {
                String canonical = spellings.canonical(value);
                if (canonical != null) fields.put(spellings.field(), canonical);
            }
        }
    }

    /** Values are computed from the fields as they were before this step, then written, so renames can swap. */
    private void applyEventMappings(FieldTable fields) {
        for (FieldMappings.EventMapping mapping : mappings.events()) {
            if (!mapping.appliesTo(fields)) continue;
            Function<SourcePath, Object> own = path -> fields.get(path.text());
            FieldRule[] rules = mapping.fields();
            String[] values = new String[rules.length];
            for (int i = 0; i < values.length; i++) values[i] = rules[i].valueFrom(own);
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) fields.put(rules[i].target(), values[i]);
            }
        }
    }

    static String constraintReason(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) return "nesting too deep";
        return "exceeds parser limits: " + shorten(message, MAX_REASON_MESSAGE_CHARS);
    }

    /**
     * Jackson's complaint without the {@code (start marker at [Source: ...; line: 1, column: 9])} it adds to some:
     * the column differs from record to record, and dead letters are grouped by their reason.
     */
    static String withoutLocation(String message) {
        if (message == null) return null;
        int at = message.indexOf(" (start marker at [Source: ");
        if (at < 0) return message;
        int end = message.indexOf("])", at);
        return message.substring(0, at) + (end < 0 ? "" : message.substring(end + 2));
    }

    static String shorten(String text, int max) {
        if (text == null) return "";
        String oneLine = text.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
    }
}
