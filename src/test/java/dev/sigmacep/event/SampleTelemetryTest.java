package dev.sigmacep.event;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The bundled sample telemetry (samples/wer-chain): every file decodes as documented in its README. */
class SampleTelemetryTest {
    private static final Path SAMPLES = Path.of("samples/wer-chain");
    private static final LocalDate DAY = LocalDate.of(2024, 3, 12);
    private static final String FLAT = "sysmon-flat.ndjson";
    private static final String EVTX = "evtx-dump.json";
    private static final String WLB = "winlogbeat.ndjson";
    private static final String ECS = "ecs.ndjson";

    private static final Map<String, List<Event>> events = new TreeMap<>();
    private static final Map<String, List<DeadLetter>> deadLetters = new TreeMap<>();

    @BeforeAll
    static void decodeAll() throws IOException {
        EventDecoder decoder = new EventDecoder();
        for (String file : List.of(FLAT, EVTX, WLB, ECS)) {
            List<Event> ok = new ArrayList<>();
            List<DeadLetter> dead = new ArrayList<>();
            try (InputStream in = Files.newInputStream(SAMPLES.resolve(file))) {
                JsonRecordSplitter splitter = new JsonRecordSplitter(in, EventDecoder.DEFAULT_MAX_RECORD_CHARS);
                for (DecodeResult r = decoder.decodeNext(splitter); r != null; r = decoder.decodeNext(splitter)) {
                    if (r.event() != null) ok.add(r.event());
                    else dead.add(r.deadLetter());
                }
            }
            events.put(file, ok);
            deadLetters.put(file, dead);
        }
    }

    private static Map<String, Integer> formats(String file) {
        Map<String, Integer> counts = new TreeMap<>();
        events.get(file).forEach(e -> counts.merge(e.format(), 1, Integer::sum));
        return counts;
    }

    private static Map<String, Integer> hosts(String file) {
        Map<String, Integer> counts = new TreeMap<>();
        events.get(file).forEach(e -> counts.merge(e.host(), 1, Integer::sum));
        return counts;
    }

    private static List<Event> where(String file, String host, String field, String suffix) {
        return events.get(file).stream()
                .filter(e -> e.host().equals(host))
                .filter(e -> e.field(field) instanceof String v && v.toLowerCase().endsWith(suffix.toLowerCase()))
                .toList();
    }

    private static Event only(List<Event> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    @Test
    void exactCountsPerFileFormatAndHost() {
        assertThat(formats(FLAT)).containsOnly(entry("sysmon-flat", 54));
        assertThat(formats(EVTX)).containsOnly(entry("evtx-dump", 15));
        assertThat(formats(WLB)).containsOnly(entry("winlogbeat", 15));
        assertThat(formats(ECS)).containsOnly(entry("ecs", 15));
        assertThat(hosts(FLAT)).containsOnly(entry("WKS-FLAT-01", 31), entry("WKS-FLAT-05", 15), entry("SRV-FILE-07", 8));
        assertThat(hosts(EVTX)).containsOnly(entry("WKS-EVTX-02", 15));
        assertThat(hosts(WLB)).containsOnly(entry("WKS-WLB-03", 15));
        assertThat(hosts(ECS)).containsOnly(entry("WKS-ECS-04", 15));
    }

    @Test
    void theTwoDeadLettersOfTheDemo() {
        assertThat(deadLetters.get(FLAT)).extracting(DeadLetter::reason).satisfiesExactly(
                reason -> assertThat(reason).startsWith("not JSON: "),
                reason -> assertThat(reason).isEqualTo("no event time"));
        assertThat(deadLetters.get(FLAT).get(0).raw()).startsWith("2024-03-12 12:00:01 WKS-FLAT-01 nxlog[2716]:");
        assertThat(deadLetters.get(FLAT).get(1).raw()).contains("\"Hostname\":\"WKS-FLAT-01\"", "\"EventID\":1,");
        assertThat(deadLetters.get(EVTX)).isEmpty();
        assertThat(deadLetters.get(WLB)).isEmpty();
        assertThat(deadLetters.get(ECS)).isEmpty();
    }

    @Test
    void everyEventIsOnTheDayAndSysmonShaped() {
        for (List<Event> list : events.values()) {
            for (Event e : list) {
                assertThat(Instant.ofEpochSecond(0, e.timeMicros() * 1000).atZone(ZoneOffset.UTC).toLocalDate()).isEqualTo(DAY);
                assertThat(e.field("EventID")).isIn(1, 3, 22);
                assertThat(e.field("Channel")).isEqualTo("Microsoft-Windows-Sysmon/Operational");
                assertThat(e.field("Image")).isNotNull();
                assertThat(e.field("ProcessGuid")).isNotNull();
            }
        }
    }

    /** noargs start, outbound connection and child share one process: the three steps of the chain. */
    private static void assertChain(String file, String host, String werImage, String dst, String childImage,
                                    long connAfterSeconds, long childAfterSeconds) {
        Event start = only(where(file, host, "Image", werImage).stream().filter(e -> e.field("EventID").equals(1)).toList());
        assertThat(start.field("CommandLineArgCount")).isEqualTo(0);
        Event conn = only(where(file, host, "DestinationIp", dst));
        assertThat(conn.fields()).contains(entry("EventID", 3), entry("Initiated", "true"),
                entry("ProcessGuid", start.field("ProcessGuid")), entry("Image", start.field("Image")));
        Event child = only(where(file, host, "Image", childImage));
        assertThat(child.fields()).contains(entry("ParentProcessGuid", start.field("ProcessGuid")),
                entry("ParentImage", start.field("Image")));
        assertThat((conn.timeMicros() - start.timeMicros()) / 1_000_000).isEqualTo(connAfterSeconds);
        assertThat((child.timeMicros() - start.timeMicros()) / 1_000_000).isEqualTo(childAfterSeconds);
    }

    @Test
    void scenario1FlatQuotedWermgrChain() {
        assertChain(FLAT, "WKS-FLAT-01", "\\wermgr.exe", "203.0.113.50", "\\cmd.exe", 20, 300);
        Event start = where(FLAT, "WKS-FLAT-01", "Image", "\\wermgr.exe").get(0);
        assertThat(start.field("CommandLine")).isEqualTo("\"C:\\Windows\\System32\\wermgr.exe\"");
        assertThat(start.field("ParentImage")).isEqualTo("C:\\Users\\mbauer\\AppData\\Local\\Temp\\loader.exe");
        Event whoami = only(where(FLAT, "WKS-FLAT-01", "Image", "\\whoami.exe"));
        assertThat(whoami.field("ParentImage")).isEqualTo("C:\\Windows\\System32\\cmd.exe");
    }

    @Test
    void scenario2EvtxWerFaultChain() {
        assertChain(EVTX, "WKS-EVTX-02", "\\WerFault.exe", "198.51.100.7", "\\powershell.exe", 30, 600);
    }

    @Test
    void scenario3WinlogbeatWermgrWithArguments() {
        Event start = only(where(WLB, "WKS-WLB-03", "Image", "\\wermgr.exe").stream().filter(e -> e.field("EventID").equals(1)).toList());
        assertThat(start.fields()).contains(entry("CommandLine", "C:\\Windows\\system32\\wermgr.exe -upload"), entry("CommandLineArgCount", 1));
        Event conn = only(where(WLB, "WKS-WLB-03", "DestinationIp", "20.42.65.90"));
        assertThat(conn.field("ProcessGuid")).isEqualTo(start.field("ProcessGuid"));
        Event cmd = only(where(WLB, "WKS-WLB-03", "Image", "\\cmd.exe"));
        assertThat(cmd.field("ParentImage")).isEqualTo("C:\\Windows\\System32\\wermgr.exe");
    }

    @Test
    void scenario4EcsUpperCaseWerFaultConnectsAfterTwoMinutes() {
        assertChain(ECS, "WKS-ECS-04", "\\WERFAULT.EXE", "192.0.2.80", "\\whoami.exe", 120, 180);
    }

    @Test
    void scenario5FlatLoopbackAndLegitimateRundll32() {
        Event start = only(where(FLAT, "WKS-FLAT-05", "Image", "\\wermgr.exe").stream().filter(e -> e.field("EventID").equals(1)).toList());
        assertThat(start.field("CommandLineArgCount")).isEqualTo(0);
        assertThat(events.get(FLAT).stream().filter(e -> start.field("ProcessGuid").equals(e.field("ProcessGuid")))
                .filter(e -> e.field("EventID").equals(3)).map(e -> e.field("DestinationIp"))).containsExactly("127.0.0.1");
        Event rundll = only(where(FLAT, "WKS-FLAT-05", "Image", "\\rundll32.exe"));
        assertThat(rundll.fields()).contains(
                entry("CommandLine", "C:\\Windows\\system32\\rundll32.exe C:\\Windows\\system32\\WerConCpl.dll LaunchErcApp -queuereporting"),
                entry("ParentProcessGuid", start.field("ProcessGuid")));
    }

    @Test
    void werProcessesAreOnlyWhereTheScenariosPutThem() {
        Map<String, Integer> werStarts = new TreeMap<>();
        for (List<Event> list : events.values()) {
            list.stream().filter(e -> e.field("EventID").equals(1))
                    .filter(e -> e.field("Image") instanceof String image
                            && (image.toLowerCase().endsWith("\\wermgr.exe") || image.toLowerCase().endsWith("\\werfault.exe")))
                    .forEach(e -> werStarts.merge(e.host() + " args=" + e.field("CommandLineArgCount"), 1, Integer::sum));
        }
        assertThat(werStarts).containsOnly(entry("WKS-FLAT-01 args=0", 1), entry("WKS-EVTX-02 args=0", 1),
                entry("WKS-WLB-03 args=1", 1), entry("WKS-ECS-04 args=0", 1), entry("WKS-FLAT-05 args=0", 1),
                entry("SRV-FILE-07 args=1", 1));
    }
}
