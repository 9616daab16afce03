package dev.sigmacep.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.io.IOException;

/**
 * EventData exported as text (Sentinel): a JSON object, or Windows event XML with {@code <Data Name=...>} elements.
 * Its members are read into the record in place of the text, as if the record had held the object, so that paths
 * below it (the event time {@code EventData.UtcTime}) find them.
 */
final class EmbeddedEventData {
    private EmbeddedEventData() {
    }

    /**
     * Reads {@code text} as the object at {@code location}.
     *
     * @throws DecodeFailure when it is neither a JSON object nor event XML, or breaks the parser's limits
     */
    static void read(String text, RecordReader record, int location, JsonFactory json) throws IOException {
        String trimmed = text.strip();
        record.replaceWithObject(location, trimmed);
        boolean read = trimmed.startsWith("<")
                ? EventDataXml.read(trimmed, (name, value) -> record.member(location, name, value))
                : readJson(trimmed, record, location, json);
        if (!read) {
            throw new DecodeFailure("event data is neither a JSON object nor event XML: '"
                    + EventDecoder.shorten(text, EventDecoder.MAX_REASON_VALUE_CHARS) + "'");
        }
    }

    /** As the tree decoder's {@code readTree}: the whole value is read (limits apply to all of it), then one more token. */
    private static boolean readJson(String text, RecordReader record, int location, JsonFactory json) throws IOException {
        try (JsonParser parser = json.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) return false;
            if (first == JsonToken.START_OBJECT) record.readObject(parser, location);
            else RecordReader.skip(parser, first);
            return parser.nextToken() == null && first == JsonToken.START_OBJECT;
        } catch (StreamConstraintsException e) {
            throw new DecodeFailure(EventDecoder.constraintReason(e));
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
