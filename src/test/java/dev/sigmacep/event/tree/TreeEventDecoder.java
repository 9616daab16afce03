package dev.sigmacep.event.tree;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventTimeParser;
import dev.sigmacep.event.JsonRecordSplitter;
import dev.sigmacep.event.WindowsCommandLine;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The reference for {@link dev.sigmacep.event.EventDecoder}: the tree-based decoder as it was before the streaming
 * one replaced it (this package is a verbatim copy of its classes, only the package and this class's name changed).
 * {@code StreamingDecoderDifferentialTest} checks that both give the same event or dead letter for every input.
 *
 * <p>Recognises a JSON record's shape (flat Sysmon, evtx_dump, Winlogbeat legacy, ECS, Sentinel export) and maps it to
 * the canonical event with the field mappings in resource {@code /event/field-mappings.yaml}. Never throws:
 * a record that cannot be decoded becomes a dead letter with the reason. Thread-safe; holds its own Jackson
 * mapper, so create one per operator instance rather than per record.
 *
 * <p>Steps: parse once into a Jackson tree (with limits, so hostile input is refused early), detect the shape,
 * copy the EventData members, apply the format's field rules, infer a missing EventID, read host and event time,
 * normalise spellings, apply event-specific mappings (Security 4688), and add {@code CommandLineArgCount}.
 */
public final class TreeEventDecoder {

    /** Default limit on a record's length; also the splitter's natural limit. */
    public static final int DEFAULT_MAX_RECORD_CHARS = 1 << 20;
    private static final int MAX_NESTING_DEPTH = 64;
    private static final int MAX_REASON_VALUE_CHARS = 64;
    private static final int MAX_REASON_MESSAGE_CHARS = 160;

    public static final String EVENT_ID = "EventID";
    public static final String COMPUTER = "Computer";
    public static final String COMMAND_LINE = "CommandLine";
    public static final String COMMAND_LINE_ARG_COUNT = "CommandLineArgCount";

    private final int maxRecordChars;
    private final ObjectMapper mapper;
    private final FieldMappings mappings;
    private final ValueInterner values = new ValueInterner();

    public TreeEventDecoder() {
        this(DEFAULT_MAX_RECORD_CHARS);
    }

    public TreeEventDecoder(int maxRecordChars) {
        this(maxRecordChars, FieldMappings.defaults());
    }

    TreeEventDecoder(int maxRecordChars, FieldMappings mappings) {
        this.maxRecordChars = maxRecordChars;
        this.mappings = mappings;
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(maxRecordChars)
                .maxNameLength(4096)
                .maxNumberLength(64)
                .build();
        this.mapper = new ObjectMapper(JsonFactory.builder().streamReadConstraints(limits).build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Decodes one record. */
    public DecodeResult decode(String raw) {
        if (raw == null) return DecodeResult.dead("not JSON: no input", "");
        if (raw.length() > maxRecordChars) return tooLarge(raw, raw.length(), "chars");
        try {
            JsonNode root;
            try {
                root = mapper.readTree(raw);
            } catch (StreamConstraintsException e) {
                return DecodeResult.dead(constraintReason(e), raw);
            } catch (JsonProcessingException e) {
                return DecodeResult.dead("not JSON: " + shorten(withoutLocation(e.getOriginalMessage()), MAX_REASON_MESSAGE_CHARS), raw);
            }
            if (root == null || root.isMissingNode()) return DecodeResult.dead("not JSON: empty input", raw);
            if (!root.isObject()) return DecodeResult.dead("not a JSON object", raw);
            FieldMapping format = mappings.detect(root);
            if (format == null) return DecodeResult.dead("unrecognised record shape", raw);
            return DecodeResult.ok(map(root, format, raw));
        } catch (DecodeFailure e) {
            return DecodeResult.dead(e.getMessage(), raw);
        } catch (IOException | RuntimeException e) {
            // a bug, not bad input: a dead letter saying so, as the decoder under test writes it
            return DecodeResult.dead(dev.sigmacep.event.DeadLetter.INTERNAL_ERROR + e
                    + " (a bug of the decoder; see the log)", raw);
        }
    }

    /**
     * Reads and decodes the splitter's next record; null at the end. A record the splitter had to cut becomes a
     * dead letter {@code record too large}.
     */
    public DecodeResult decodeNext(JsonRecordSplitter splitter) throws IOException {
        if (!splitter.next()) return null;
        String text = new String(splitter.bytes(), 0, splitter.length(), java.nio.charset.StandardCharsets.UTF_8);
        return splitter.lastRecordTruncated() ? tooLarge(text, splitter.lastRecordBytes(), "bytes") : decode(text);
    }

    private DecodeResult tooLarge(String rawOrPrefix, long size, String unit) {
        return DecodeResult.dead("record too large (" + size + " " + unit + " > " + maxRecordChars + ")", rawOrPrefix);
    }

    private Event map(JsonNode root, FieldMapping format, String raw) throws IOException {
        Map<String, Object> fields = new HashMap<>(64);
        copyEventData(root, format, fields);

        Function<SourcePath, Object> json = format.emptyIsAbsent() ? path -> nonEmpty(path.find(root)) : path -> path.find(root);
        for (FieldRule rule : format.fields()) {
            String value = rule.valueFrom(json);
            if (value != null) fields.put(rule.target(), values.intern(value));
        }
        Object eventId = fields.get(EVENT_ID);
        if (eventId != null) {
            fields.put(EVENT_ID, eventIdOf((String) eventId));
        } else {
            inferEventId(root, format, fields);
        }

        Object host = fields.get(COMPUTER);
        if (host == null || host.toString().isBlank()) throw new DecodeFailure("no host");
        long timeMicros = eventTime(root, format);

        normalize(fields);
        applyEventMappings(fields);
        if (fields.get(COMMAND_LINE) instanceof String commandLine) {
            fields.put(COMMAND_LINE_ARG_COUNT, WindowsCommandLine.argumentCount(commandLine));
        }
        return new Event(fields, host.toString(), timeMicros, format.format(), raw);
    }

    /**
     * Scalar members of the first event-data path present (EventData, else UserData's element) under their own
     * names, as strings; objects, arrays and nulls are left out.
     */
    private void copyEventData(JsonNode root, FieldMapping format, Map<String, Object> fields) throws IOException {
        SourcePath path = null;
        JsonNode data = null;
        for (SourcePath place : format.eventData()) {
            path = place;
            data = place.find(root);
            if (data != null) break;
        }
        if (data != null && data.isTextual() && format.eventDataIsText()) {
            data = parseEmbedded(data.asText());
            path.replace(root, data); // so time paths such as EventData.UtcTime see the parsed object
        }
        if (data == null || !data.isObject()) return;
        var members = data.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> member = members.next();
            JsonNode value = member.getValue();
            if (value.isValueNode() && !value.isNull() && !format.drop().contains(member.getKey())) {
                fields.put(member.getKey().replace(" ", ""), values.intern(value.asText())); // Defender's "Threat Name"
            }
        }
    }

    /** EventData exported as text: a JSON object, or Windows event XML with {@code <Data Name=...>} elements. */
    private JsonNode parseEmbedded(String text) throws IOException {
        String trimmed = text.strip();
        if (trimmed.startsWith("<")) {
            JsonNode data = EventDataXml.parse(trimmed);
            if (data != null) return data;
        } else {
            try {
                JsonNode parsed = mapper.readTree(trimmed);
                if (parsed != null && parsed.isObject()) return parsed;
            } catch (StreamConstraintsException e) {
                throw new DecodeFailure(constraintReason(e));
            } catch (JsonProcessingException e) {
                // reported below
            }
        }
        throw new DecodeFailure("event data is neither a JSON object nor event XML: '"
                + shorten(text, MAX_REASON_VALUE_CHARS) + "'");
    }

    private static Integer eventIdOf(String text) {
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new DecodeFailure("field EventID is not an integer '" + shorten(text, MAX_REASON_VALUE_CHARS) + "'");
        }
    }

    private static void inferEventId(JsonNode root, FieldMapping format, Map<String, Object> fields) {
        for (FieldMapping.Inference inference : format.infer()) {
            if (inference.when().holds(root)) {
                inference.set().forEach((name, value) -> fields.putIfAbsent(name, value instanceof Integer ? value : value.toString()));
                return;
            }
        }
    }

    /** A record value, or null for an empty string (formats with {@code empty-is-absent}). */
    private static JsonNode nonEmpty(JsonNode node) {
        return node != null && node.isTextual() && node.asText().isEmpty() ? null : node;
    }

    /** The first present time path decides; if it is not a time, the record is refused rather than guessed. */
    private static long eventTime(JsonNode root, FieldMapping format) {
        for (SourcePath path : format.time()) {
            JsonNode node = path.find(root);
            if (node == null) continue;
            if (format.emptyIsAbsent() && node.isTextual() && node.asText().isEmpty()) continue;
            long micros;
            if (node.isTextual()) micros = EventTimeParser.parse(node.asText());
            else if (node.isNumber()) micros = EventTimeParser.fromEpochNumber(node.asDouble());
            else micros = EventTimeParser.INVALID;
            if (micros == EventTimeParser.INVALID) {
                String shown = node.isValueNode() ? node.asText() : node.toString();
                throw new DecodeFailure("unparseable event time '" + shorten(shown, MAX_REASON_VALUE_CHARS) + "'");
            }
            return micros;
        }
        throw new DecodeFailure("no event time");
    }

    private void normalize(Map<String, Object> fields) {
        for (Map.Entry<String, Map<String, String>> entry : mappings.normalize().entrySet()) {
            if (fields.get(entry.getKey()) instanceof String value) {
                String canonical = entry.getValue().get(value.toLowerCase(Locale.ROOT));
                if (canonical != null) fields.put(entry.getKey(), canonical);
            }
        }
    }

    /** Values are computed from the fields as they were before this step, then written, so renames can swap. */
    private void applyEventMappings(Map<String, Object> fields) {
        for (FieldMappings.EventMapping mapping : mappings.events()) {
            if (!mapping.appliesTo(fields)) continue;
            Function<SourcePath, Object> own = path -> fields.get(path.text());
            List<FieldRule> rules = mapping.fields();
            String[] values = new String[rules.size()];
            for (int i = 0; i < values.length; i++) values[i] = rules.get(i).valueFrom(own);
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) fields.put(rules.get(i).target(), values[i]);
            }
        }
    }

    private static String constraintReason(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) return "nesting too deep";
        return "exceeds parser limits: " + shorten(message, MAX_REASON_MESSAGE_CHARS);
    }

    /** Jackson's complaint without the varying {@code (start marker at [Source: ...])} part. */
    private static String withoutLocation(String message) {
        if (message == null) return null;
        int at = message.indexOf(" (start marker at [Source: ");
        if (at < 0) return message;
        int end = message.indexOf("])", at);
        return message.substring(0, at) + (end < 0 ? "" : message.substring(end + 2));
    }

    private static String shorten(String text, int max) {
        if (text == null) return "";
        String oneLine = text.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
    }
}
