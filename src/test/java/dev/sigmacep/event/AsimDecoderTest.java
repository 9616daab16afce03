package dev.sigmacep.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

import static dev.sigmacep.event.EventDecoderTest.micros;
import static dev.sigmacep.event.EventDecoderTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Microsoft Sentinel ASIM rows (process events and network sessions, formats {@code asim-process} and
 * {@code asim-network} of the mapping file) become Sysmon process creations and network connections. Every record is
 * also checked against the tree-based reference decoder.
 */
class AsimDecoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SameAsTreeDecoder decoder = new SameAsTreeDecoder();

    private Event decoded(String raw) {
        DecodeResult result = decoder.decode(raw);
        assertThat(result.deadLetter()).as("dead letter").isNull();
        return result.event();
    }

    private String deadReason(String raw) {
        DecodeResult result = decoder.decode(raw);
        assertThat(result.event()).as("event").isNull();
        assertThat(result.deadLetter().raw()).isEqualTo(raw);
        return result.deadLetter().reason();
    }

    /** The record file with some members changed. */
    private static String edited(String file, Consumer<ObjectNode> edit) {
        try {
            ObjectNode row = (ObjectNode) JSON.readTree(record(file));
            edit.accept(row);
            return row.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void processCreatedRowIsASysmonProcessCreation() {
        Event event = decoded(record("asim-process-create.json"));
        assertThat(event.format()).isEqualTo("asim-process");
        assertThat(event.host()).isEqualTo("WKS-ASIM-09.contoso.local");
        assertThat(event.timeMicros()).isEqualTo(micros("2024-03-12T09:14:03.118Z"));
        assertThat(event.fields()).containsOnly(
                entry("EventID", 1),
                entry("Channel", "Microsoft-Windows-Sysmon/Operational"),
                entry("Provider_Name", "Microsoft-Windows-Sysmon"),
                entry("Computer", "WKS-ASIM-09.contoso.local"),
                entry("Image", "C:\\Windows\\System32\\wermgr.exe"),
                entry("CommandLine", "\"C:\\Windows\\System32\\wermgr.exe\""),
                entry("CommandLineArgCount", 0),
                entry("ProcessGuid", "{3e91c0d7-0c2b-65f0-02d1-000000000e00}"),
                entry("ProcessId", "4212"),
                entry("CurrentDirectory", "C:\\Users\\alice\\"),
                entry("IntegrityLevel", "Medium"),
                entry("OriginalFileName", "wermgr.exe"),
                entry("Company", "Microsoft Corporation"),
                entry("Description", "Windows Problem Reporting"),
                entry("Product", "Microsoft® Windows® Operating System"),
                entry("FileVersion", "10.0.19041.3636 (WinBuild.160101.0800)"),
                entry("User", "CONTOSO\\alice"),
                entry("ParentImage", "C:\\Users\\alice\\AppData\\Local\\Temp\\loader.exe"),
                entry("ParentCommandLine", "\"C:\\Users\\alice\\AppData\\Local\\Temp\\loader.exe\" /s"),
                entry("ParentProcessGuid", "{3e91c0d7-0c11-65f0-02c4-000000000e00}"),
                entry("ParentProcessId", "6120"),
                entry("ParentUser", "CONTOSO\\alice"));
    }

    @Test
    void outboundEndpointSessionIsASysmonNetworkConnection() {
        Event event = decoded(record("asim-network-session.json"));
        assertThat(event.format()).isEqualTo("asim-network");
        assertThat(event.host()).isEqualTo("WKS-ASIM-09.contoso.local");
        assertThat(event.timeMicros()).isEqualTo(micros("2024-03-12T09:14:23.507Z"));
        assertThat(event.fields()).containsOnly(
                entry("EventID", 3),
                entry("Channel", "Microsoft-Windows-Sysmon/Operational"),
                entry("Provider_Name", "Microsoft-Windows-Sysmon"),
                entry("Computer", "WKS-ASIM-09.contoso.local"),
                entry("Image", "C:\\Windows\\System32\\wermgr.exe"),
                entry("ProcessGuid", "{3e91c0d7-0c2b-65f0-02d1-000000000e00}"),
                entry("ProcessId", "4212"),
                entry("User", "CONTOSO\\alice"),
                entry("SourceIp", "10.0.4.21"),
                entry("SourcePort", "50123"),
                entry("SourceHostname", "WKS-ASIM-09.contoso.local"),
                entry("DestinationIp", "203.0.113.50"),
                entry("DestinationPort", "443"),
                entry("Protocol", "tcp"),
                entry("Initiated", "true"));
    }

    @Test
    void inboundSessionReadsTheLocalProcessFromTheDestinationSide() {
        Event event = decoded(edited("asim-network-session.json", row -> {
            row.put("NetworkDirection", "Inbound");
            row.put("SrcIpAddr", "198.51.100.7").put("SrcPortNumber", 61000).put("SrcHostname", "").put("SrcFQDN", "")
                    .put("SrcProcessName", "").put("SrcProcessGuid", "").put("SrcProcessId", "").put("SrcUsername", "");
            row.put("DstIpAddr", "10.0.4.21").put("DstPortNumber", 7070)
                    .put("DstProcessName", "C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe")
                    .put("DstProcessGuid", "3e91c0d7-0d00-65f0-0300-000000000e00").put("DstProcessId", "5120")
                    .put("DstUsername", "NT AUTHORITY\\SYSTEM");
        }));
        assertThat(event.fields()).contains(
                entry("Image", "C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe"),
                entry("ProcessGuid", "{3e91c0d7-0d00-65f0-0300-000000000e00}"),
                entry("ProcessId", "5120"),
                entry("User", "NT AUTHORITY\\SYSTEM"),
                entry("SourceIp", "198.51.100.7"),
                entry("DestinationIp", "10.0.4.21"),
                entry("DestinationPort", "7070"),
                entry("Initiated", "false"));
        assertThat(event.fields()).doesNotContainKey("SourceHostname");
    }

    @ParameterizedTest
    @CsvSource({"outbound, true", "OUTBOUND, true", "Inbound, false", "Local, ", "Listen, ", "NA, ", "'', "})
    void onlyOutboundAndInboundSayWhoInitiated(String direction, String initiated) {
        Event event = decoded(edited("asim-network-session.json", row -> row.put("NetworkDirection", direction)));
        assertThat(event.field("Initiated")).isEqualTo(initiated);
        Event without = decoded(edited("asim-network-session.json", row -> row.remove("NetworkDirection")));
        assertThat(without.field("Initiated")).isNull();
    }

    @Test
    void eventTypesOutsideTheSysmonCategoriesDecodeButRouteNowhere() {
        Event terminated = decoded(edited("asim-process-create.json", row -> row.put("EventType", "ProcessTerminated")));
        assertThat(terminated.field("EventID")).isEqualTo(5);
        Event firewall = decoded(edited("asim-network-session.json", row -> row.put("EventType", "NetworkSession")));
        assertThat(firewall.format()).isEqualTo("asim-network");
        assertThat(firewall.field("EventID")).isNull();
        assertThat(firewall.field("Channel")).isNull();
        assertThat(firewall.field("DestinationIp")).isEqualTo("203.0.113.50");
    }

    @Test
    void hostIsTheFqdnElseTheHostnameElseDvc() {
        assertThat(decoded(edited("asim-process-create.json", row -> row.put("DvcFQDN", ""))).host())
                .isEqualTo("WKS-ASIM-09");
        assertThat(decoded(edited("asim-process-create.json", row -> {
            row.remove("DvcFQDN");
            row.remove("DvcHostname");
        })).host()).isEqualTo("WKS-ASIM-09.contoso.local");
        assertThat(deadReason(edited("asim-process-create.json", row -> {
            row.put("DvcFQDN", "");
            row.put("DvcHostname", "");
            row.remove("Dvc");
        }))).isEqualTo("no host");
    }

    @Test
    void eventTimeIsTheStartTimeElseTimeGenerated() {
        assertThat(decoded(edited("asim-process-create.json", row -> row.put("EventStartTime", ""))).timeMicros())
                .isEqualTo(micros("2024-03-12T09:14:05.261Z"));
        assertThat(decoded(edited("asim-network-session.json", row -> row.remove("EventStartTime"))).timeMicros())
                .isEqualTo(micros("2024-03-12T09:14:25.004Z"));
        assertThat(deadReason(edited("asim-process-create.json", row -> row.put("EventStartTime", "yesterday"))))
                .isEqualTo("unparseable event time 'yesterday'");
    }

    @Test
    void aRowWithoutItsTimeIsADeadLetter() {
        assertThat(deadReason(edited("asim-process-create.json", row -> {
            row.remove("EventStartTime");
            row.remove("TimeGenerated");
        }))).isEqualTo("no event time");
        assertThat(deadReason(edited("asim-network-session.json", row -> {
            row.put("EventStartTime", "");
            row.putNull("TimeGenerated");
        }))).isEqualTo("no event time");
    }

    @Test
    void emptyColumnsAreAbsentNotEmptyFields() {
        Event event = decoded(edited("asim-process-create.json", row -> {
            row.put("TargetProcessCommandLine", "");
            row.put("ActingProcessGuid", "");
        }));
        assertThat(event.fields()).doesNotContainKeys("CommandLine", "CommandLineArgCount", "ParentProcessGuid");
    }

    @Test
    void onlyBareGuidsGetBraces() {
        assertThat(decoded(edited("asim-process-create.json", row -> row.put("TargetProcessGuid",
                "{3E91C0D7-0C2B-65F0-02D1-000000000E00}"))).field("ProcessGuid"))
                .isEqualTo("{3E91C0D7-0C2B-65F0-02D1-000000000E00}");
        assertThat(decoded(edited("asim-process-create.json", row -> row.put("TargetProcessGuid",
                "3E91C0D7-0C2B-65F0-02D1-000000000E00"))).field("ProcessGuid"))
                .isEqualTo("{3E91C0D7-0C2B-65F0-02D1-000000000E00}");
        assertThat(decoded(edited("asim-process-create.json", row -> row.put("TargetProcessGuid",
                "4212-133547060431180000"))).field("ProcessGuid")).isEqualTo("4212-133547060431180000");
        assertThat(decoded(edited("asim-process-create.json", row -> row.put("TargetProcessGuid",
                "3e91c0d7x0c2b-65f0-02d1-000000000e00"))).field("ProcessGuid"))
                .isEqualTo("3e91c0d7x0c2b-65f0-02d1-000000000e00");
    }

    @Test
    void rowsOfParsersWithoutEventSchemaAreRecognisedByTheirProduct() {
        Event process = decoded(edited("asim-process-create.json", row -> row.remove("EventSchema")));
        assertThat(process.format()).isEqualTo("asim-process");
        Event session = decoded(edited("asim-network-session.json", row -> row.remove("EventSchema")));
        assertThat(session.format()).isEqualTo("asim-network");
        assertThat(deadReason(edited("asim-process-create.json", row -> {
            row.remove("EventSchema");
            row.remove("EventProduct");
        }))).isEqualTo("unrecognised record shape");
    }

    /** A parser may keep its source table's columns (Computer, EventID, EventData): the row is still ASIM. */
    @Test
    void sourceColumnsKeptByAParserDoNotMakeItAnotherShape() {
        Event event = decoded(edited("asim-process-create.json", row -> {
            row.put("Computer", "WKS-ASIM-09.contoso.local");
            row.put("EventID", 4688);
            row.put("Channel", "Security");
            row.put("EventData", "{\"NewProcessName\":\"C:\\\\x.exe\"}");
        }));
        assertThat(event.format()).isEqualTo("asim-process");
        assertThat(event.field("EventID")).isEqualTo(1);
        assertThat(event.field("Channel")).isEqualTo("Microsoft-Windows-Sysmon/Operational");
        assertThat(event.field("NewProcessName")).isNull();
    }

    /** Recognition of ASIM takes no record of another shape: each record file still decodes as its own format. */
    @ParameterizedTest
    @CsvSource({
            "sysmon-flat-eid1.json, sysmon-flat", "sysmon-flat-eid3.json, sysmon-flat",
            "sysmon-flat-4688-nxlog2019.json, sysmon-flat", "sysmon-flat-4688-no-cmdline.json, sysmon-flat",
            "evtx-dump-eid1.json, evtx-dump", "evtx-dump-system-7036.json, evtx-dump", "winlogbeat-eid1.json, winlogbeat",
            "sentinel-eid3.json, sentinel", "ecs-netconn.json, ecs", "ecs-process-start-no-code.json, ecs",
            "ecs-winlogbeat8-sysmon22.json, ecs"})
    void otherShapesKeepTheirFormat(String file, String format) {
        assertThat(decoded(record(file)).format()).isEqualTo(format);
    }
}
