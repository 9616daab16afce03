package dev.sigmacep.event;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Decodes every record of some inputs and counts events per format and dead letters per reason. */
final class DecodeTally {
    final Map<String, Long> eventsPerFormat = new TreeMap<>();
    final Map<String, Long> deadLettersPerReason = new TreeMap<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final Map<String, Long> eventsPerHost = new TreeMap<>();
    final Map<Integer, Long> eventsPerEventId = new TreeMap<>();
    /** Process-creation events (Sysmon 1, Security 4688) without an Image: a mapping gap. */
    long processStartsWithoutImage;
    long withArgCount;
    private final EventDecoder decoder = new EventDecoder();

    void add(InputStream in) throws IOException {
        JsonRecordSplitter splitter = new JsonRecordSplitter(in, EventDecoder.DEFAULT_MAX_RECORD_CHARS);
        for (DecodeResult r = decoder.decodeNext(splitter); r != null; r = decoder.decodeNext(splitter)) {
            if (r.event() != null) {
                eventsPerFormat.merge(r.event().format(), 1L, Long::sum);
                eventsPerHost.merge(r.event().host(), 1L, Long::sum);
                if (r.event().field(EventDecoder.COMMAND_LINE_ARG_COUNT) != null) withArgCount++;
                Object eventId = r.event().field(EventDecoder.EVENT_ID);
                if (eventId instanceof Integer id) eventsPerEventId.merge(id, 1L, Long::sum);
                if ((Integer.valueOf(1).equals(eventId) || Integer.valueOf(4688).equals(eventId))
                        && r.event().field("Image") == null) {
                    processStartsWithoutImage++;
                }
            } else {
                deadLettersPerReason.merge(r.deadLetter().reason(), 1L, Long::sum);
                if (deadLetters.size() < 20) deadLetters.add(r.deadLetter());
            }
        }
    }

    long events() {
        return eventsPerFormat.values().stream().mapToLong(Long::longValue).sum();
    }

    long dead() {
        return deadLettersPerReason.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
        return "events " + eventsPerFormat + ", dead letters " + deadLettersPerReason;
    }
}
