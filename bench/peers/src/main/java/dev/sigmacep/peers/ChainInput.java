package dev.sigmacep.peers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an NDJSON file of flat Sysmon records (one object per line, as {@code bin/sigma-cep generate} writes them)
 * into {@link ChainEvent}s sorted by event time (stable: ties keep file order), numbered in that order. Runs before
 * any timing: parsing, classification and sorting are not measured.
 */
public final class ChainInput {
    private static final JsonFactory JSON = new JsonFactory();

    private ChainInput() {
    }

    public static ChainEvent[] read(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader.lines()::iterator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the lines (blank lines are skipped), sorts by event time and numbers the events. */
    public static ChainEvent[] parse(Iterable<String> lines) {
        Map<String, String> keys = new HashMap<>();
        List<ChainEvent> events = new ArrayList<>();
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            if (line.isBlank()) continue;
            try {
                ChainEvent event = parseLine(line);
                event.key = keys.computeIfAbsent(event.key, k -> k); // one String (and cached hash) per key
                events.add(event);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("line " + lineNo + ": " + e.getMessage(), e);
            }
        }
        ChainEvent[] sorted = events.toArray(new ChainEvent[0]);
        Arrays.sort(sorted, Comparator.comparingLong(e -> e.ts)); // stable
        for (int i = 0; i < sorted.length; i++) sorted[i].seq = i;
        return sorted;
    }

    static ChainEvent parseLine(String line) throws IOException {
        String host = null, utcTime = null, image = null, commandLine = null, processGuid = null;
        String parentProcessGuid = null, parentImage = null, initiated = null, destinationIp = null;
        int eventId = -1;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                switch (name) {
                    case "Hostname" -> host = p.getValueAsString();
                    case "EventID" -> eventId = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue()
                            : Integer.parseInt(p.getValueAsString().trim());
                    case "UtcTime" -> utcTime = p.getValueAsString();
                    case "Image" -> image = p.getValueAsString();
                    case "CommandLine" -> commandLine = p.getValueAsString();
                    case "ProcessGuid" -> processGuid = p.getValueAsString();
                    case "ParentProcessGuid" -> parentProcessGuid = p.getValueAsString();
                    case "ParentImage" -> parentImage = p.getValueAsString();
                    case "Initiated" -> initiated = p.getValueAsString();
                    case "DestinationIp" -> destinationIp = p.getValueAsString();
                    default -> {
                    }
                }
            }
        }
        if (host == null) throw new IOException("no Hostname");
        if (utcTime == null) throw new IOException("no UtcTime");
        int kind = Chain.classify(eventId, image, commandLine, parentImage, initiated, destinationIp);
        return new ChainEvent(Chain.key(host, kind, processGuid, parentProcessGuid), kind, utcMillis(utcTime), -1);
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSS} (UTC) to epoch milliseconds; fewer fraction digits are allowed. */
    static long utcMillis(String s) {
        if (s.length() < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != ' ' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            throw new IllegalArgumentException("UtcTime not yyyy-MM-dd HH:mm:ss.SSS: " + s);
        }
        int year = num(s, 0, 4), month = num(s, 5, 7), day = num(s, 8, 10);
        int hour = num(s, 11, 13), minute = num(s, 14, 16), second = num(s, 17, 19);
        int millis = 0;
        if (s.length() > 19) {
            if (s.charAt(19) != '.') throw new IllegalArgumentException("UtcTime not yyyy-MM-dd HH:mm:ss.SSS: " + s);
            String fraction = (s.substring(20) + "000").substring(0, 3);
            millis = num(fraction, 0, 3);
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new IllegalArgumentException("UtcTime not yyyy-MM-dd HH:mm:ss.SSS: " + s);
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
