package dev.sigmacep.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every shape of a generated record decodes, through the real decoder, to the flat record's event. */
class RecordShapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENVELOPE = Set.of("SourceName", "ProviderGuid", "Level", "Keywords", "Channel",
            "Hostname", "TimeCreated", "@timestamp", "EventID", "Message", "Task");
    /** what an ASIM row carries of a Sysmon process start or connection (field-mappings.yaml's asim-* fields) */
    private static final Set<String> ASIM_FIELDS = Set.of("Image", "CommandLine", "ProcessGuid", "ProcessId", "User",
            "CurrentDirectory", "IntegrityLevel", "OriginalFileName", "Company", "Description", "Product", "FileVersion",
            "ParentImage", "ParentCommandLine", "ParentProcessGuid", "ParentProcessId", "ParentUser", "SourceIp",
            "SourcePort", "DestinationIp", "DestinationPort", "Protocol", "Initiated");
    private static final Map<String, String> FORMATS = Map.of("sysmon-flat", "sysmon-flat", "evtx-dump", "evtx-dump",
            "winlogbeat", "winlogbeat", "ecs", "ecs", "sentinel", "sentinel");

    private static List<String> fleet() {
        List<String> records = new ArrayList<>();
        new TelemetryGenerator(new TelemetryGenerator.Settings(40, 1_000, 0.5, Duration.ofSeconds(30), 9,
                Instant.parse("2024-03-12T00:00:00Z"), Duration.ofHours(1))).forEach(record -> records.add(record.json()));
        return records;
    }

    @Test
    void everyShapeDecodesToTheFlatRecordsEvent() throws Exception {
        EventDecoder decoder = new EventDecoder();
        List<String> fleet = fleet();
        for (String name : RecordShape.NAMES) {
            RecordShape shape = RecordShape.named(name);
            int written = 0;
            for (String flat : fleet) {
                Event expected = decoder.decode(flat).event();
                String shaped = shape.write(flat);
                if (shaped == null) {
                    assertThat(name).isEqualTo("asim");
                    assertThat(expected.field("EventID")).isNotIn(1, "1", 3, "3");
                    continue;
                }
                written++;
                DecodeResult result = decoder.decode(shaped);
                assertThat(result.deadLetter()).as(name + ": " + shaped).isNull();
                Event event = result.event();
                assertThat(event.format()).as(shaped).isEqualTo(name.equals("asim")
                        ? (expected.field("EventID").toString().equals("1") ? "asim-process" : "asim-network")
                        : FORMATS.get(name));
                assertThat(event.host()).isEqualTo(expected.host());
                assertThat(event.timeMicros()).isEqualTo(expected.timeMicros());
                for (String field : fields(flat, name)) {
                    assertThat(String.valueOf(event.field(field))).as(name + " " + field + " of " + shaped)
                            .isEqualTo(String.valueOf(expected.field(field)));
                }
            }
            assertThat(written).as(name).isEqualTo(name.equals("asim")
                    ? fleet.stream().filter(r -> r.contains("\"EventID\":1,") || r.contains("\"EventID\":3,")).count()
                    : fleet.size());
        }
    }

    /** The fields to compare: every EventData member and the envelope's canonical fields; for ASIM those it maps. */
    private static List<String> fields(String flat, String shape) throws Exception {
        List<String> fields = new ArrayList<>(List.of("EventID", "Channel", "Provider_Name", "Computer"));
        for (Iterator<String> names = ((JsonNode) JSON.readTree(flat)).fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ENVELOPE.contains(name) && (!shape.equals("asim") || ASIM_FIELDS.contains(name))) {
                fields.add(name);
            }
        }
        return fields;
    }

    @Test
    void anUnknownShapeIsRefusedNamingTheShapesThereAre() {
        assertThatThrownBy(() -> RecordShape.named("splunk"))
                .hasMessage("--shape splunk is not supported (supported: sysmon-flat, evtx-dump, winlogbeat, ecs, sentinel, asim)");
    }
}
