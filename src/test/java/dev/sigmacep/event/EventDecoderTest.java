package dev.sigmacep.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class EventDecoderTest {
    /** Decodes as EventDecoder does, and checks each record against the tree-based reference decoder too. */
    private final SameAsTreeDecoder sameAsTree = new SameAsTreeDecoder();

    static String record(String name) {
        try (InputStream in = EventDecoderTest.class.getResourceAsStream("/event/records/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long micros(String instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
    }

    private Event decoded(String raw) {
        DecodeResult result = sameAsTree.decode(raw);
        assertThat(result.deadLetter()).as("dead letter").isNull();
        return result.event();
    }

    private String deadReason(String raw) {
        DecodeResult result = sameAsTree.decode(raw);
        assertThat(result.event()).as("event").isNull();
        assertThat(result.deadLetter().raw()).isEqualTo(raw);
        return result.deadLetter().reason();
    }

    /** Rule matching recognises a value it has seen by identity, so repeated values must be one String. */
    @Test
    void repeatedValuesAreSharedAndLongOnesAreNot() {
        String raw = record("sysmon-flat-eid1.json");
        String longLine = "x".repeat(ValueInterner.MAX_CHARS + 1);
        String withLongLine = raw.replace("C:\\\\Windows\\\\system32\\\\wermgr.exe -upload", longLine);
        assertThat(withLongLine).isNotEqualTo(raw);

        Event first = decoded(raw);
        Event second = decoded(new String(raw.toCharArray()));
        assertThat(second.field("Image")).isEqualTo("C:\\Windows\\System32\\wermgr.exe").isSameAs(first.field("Image"));
        assertThat(second.field("CommandLine")).isSameAs(first.field("CommandLine"));

        Event long1 = decoded(withLongLine);
        Event long2 = decoded(withLongLine);
        assertThat(long2.field("CommandLine")).isEqualTo(longLine).isNotSameAs(long1.field("CommandLine"));
        assertThat(long2.field("Image")).isSameAs(first.field("Image"));
    }

    @Test
    void sysmonFlatProcessCreation() {
        String raw = record("sysmon-flat-eid1.json");
        Event event = decoded(raw);
        assertThat(event.format()).isEqualTo("sysmon-flat");
        assertThat(event.host()).isEqualTo("Pedro01");
        // UtcTime, not @timestamp (which is 19 hours earlier in this data set)
        assertThat(event.timeMicros()).isEqualTo(micros("2022-08-04T02:30:05.719Z"));
        assertThat(event.raw()).isSameAs(raw);
        assertThat(event.fields()).contains(
                entry("EventID", 1),
                entry("Channel", "Microsoft-Windows-Sysmon/Operational"),
                entry("Provider_Name", "Microsoft-Windows-Sysmon"),
                entry("Computer", "Pedro01"),
                entry("Image", "C:\\Windows\\System32\\wermgr.exe"),
                entry("CommandLine", "C:\\Windows\\system32\\wermgr.exe -upload"),
                entry("CommandLineArgCount", 1),
                entry("ProcessGuid", "{625b42a0-2f2d-62eb-8505-000000000900}"),
                entry("ProcessId", "3116"),
                entry("ParentImage", "C:\\Windows\\System32\\svchost.exe"),
                entry("ParentProcessGuid", "{625b42a0-6b36-62e9-1900-000000000900}"),
                entry("ParentCommandLine", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule"),
                entry("User", "NT AUTHORITY\\SYSTEM"),
                entry("OriginalFileName", "WerMgr"),
                entry("IntegrityLevel", "System"));
        // collector fields and the rendered message are not event fields
        assertThat(event.fields()).doesNotContainKeys("Message", "Hostname", "SourceName", "@timestamp");
        assertThat(event.field("EventID")).isInstanceOf(Integer.class);
    }

    @Test
    void sysmonFlatNetworkConnectionKeepsEveryEventDataField() {
        Event event = decoded(record("sysmon-flat-eid3.json"));
        assertThat(event.format()).isEqualTo("sysmon-flat");
        assertThat(event.timeMicros()).isEqualTo(micros("2020-10-19T07:30:46.319Z"));
        assertThat(event.fields()).contains(
                entry("EventID", 3), entry("Image", "System"), entry("Initiated", "true"),
                entry("DestinationIp", "fe80:0:0:0:90e:17af:263c:5209"), entry("DestinationPort", "445"),
                entry("SourcePort", "58391"), entry("Protocol", "tcp"), entry("DestinationIsIpv6", "true"),
                entry("RuleName", "-"), entry("Task", "3"));
        assertThat(event.fields()).doesNotContainKey("CommandLineArgCount");
    }

    @Test
    void security4688MapsToProcessCreationFields() {
        Event event = decoded(record("sysmon-flat-4688-nxlog2019.json"));
        assertThat(event.host()).isEqualTo("ACCT001.shire.com");
        assertThat(event.timeMicros()).isEqualTo(micros("2019-12-25T04:52:50.370Z")); // @timestamp, not local EventTime
        assertThat(event.fields()).contains(
                entry("EventID", 4688),
                entry("Channel", "Security"),                 // was "security"
                entry("Provider_Name", "Microsoft-Windows-Security-Auditing"),
                entry("Image", "C:\\Windows\\System32\\wermgr.exe"),
                entry("ParentImage", "C:\\Windows\\System32\\svchost.exe"),
                entry("CommandLine", "C:\\Windows\\system32\\wermgr.exe -upload"),
                entry("CommandLineArgCount", 1),
                entry("User", "shire\\ACCT001$"),
                entry("ProcessId", "1108"),                   // NewProcessId 0x454
                entry("NewProcessId", "0x454"),
                entry("TargetUserName", "-"),
                entry("IntegrityLevel", "System"),           // MandatoryLabel S-1-16-16384
                entry("Task", "13312"),
                entry("ProcessID", "4"));                     // NXLog's own, a different field
        assertThat(event.fields()).doesNotContainKey("ParentProcessId"); // this record has no creator ProcessId
    }

    @Test
    void security4688CreatorProcessIdBecomesParentProcessId() {
        Event event = decoded(record("sysmon-flat-4688-no-cmdline.json"));
        assertThat(event.timeMicros()).isEqualTo(micros("2022-08-03T07:30:05.719Z"));
        assertThat(event.fields()).contains(
                entry("ProcessId", "3116"), entry("ParentProcessId", "692"),
                entry("User", "WORKGROUP\\PEDRO01$"), entry("Image", "C:\\Windows\\System32\\wermgr.exe"));
        // command-line auditing was off: no CommandLine, so no argument count either
        assertThat(event.fields()).doesNotContainKeys("CommandLine", "CommandLineArgCount");
    }

    @Test
    void evtxDumpWithAttributes() {
        Event event = decoded(record("evtx-dump-eid1.json"));
        assertThat(event.format()).isEqualTo("evtx-dump");
        assertThat(event.host()).isEqualTo("WKS-EVTX-02.corp.example");
        assertThat(event.timeMicros()).isEqualTo(micros("2020-10-20T22:33:02.051Z")); // EventData.UtcTime first
        assertThat(event.fields()).contains(
                entry("EventID", 1),
                entry("Channel", "Microsoft-Windows-Sysmon/Operational"),
                entry("Provider_Name", "Microsoft-Windows-Sysmon"),
                entry("Computer", "WKS-EVTX-02.corp.example"),
                entry("Image", "C:\\Windows\\System32\\WerFault.exe"),
                entry("CommandLine", "C:\\Windows\\System32\\WerFault.exe"),
                entry("CommandLineArgCount", 0),
                entry("ProcessGuid", "{5b0a3c8e-6b3e-5f8f-5d01-000000000a00}"),
                entry("ParentProcessGuid", "{5b0a3c8e-1a2b-5f8f-1c00-000000000a00}"));
    }

    @Test
    void evtxDumpEventIdWithQualifiersAndSystemTimeInNanoseconds() {
        Event event = decoded(record("evtx-dump-system-7036.json"));
        assertThat(event.timeMicros()).isEqualTo(micros("2020-10-20T22:35:10.123456Z"));
        assertThat(event.fields()).contains(
                entry("EventID", 7036), entry("Channel", "System"), entry("Provider_Name", "Service Control Manager"),
                entry("param1", "Windows Error Reporting Service"));
    }

    @Test
    void winlogbeatLegacyUsesComputerNameNotTheShipper() {
        Event event = decoded(record("winlogbeat-eid1.json"));
        assertThat(event.format()).isEqualTo("winlogbeat");
        assertThat(event.host()).isEqualTo("IT001.shire.com"); // host.name is WECserver
        assertThat(event.timeMicros()).isEqualTo(micros("2019-03-19T17:15:16.129Z"));
        assertThat(event.fields()).contains(
                entry("EventID", 1),
                entry("Channel", "Microsoft-Windows-Sysmon/Operational"),
                entry("Provider_Name", "Microsoft-Windows-Sysmon"),
                entry("Image", "C:\\Windows\\System32\\whoami.exe"),
                entry("CommandLine", "\"C:\\Windows\\system32\\whoami.exe\" /user"),
                entry("CommandLineArgCount", 1),
                entry("User", "SHIRE\\pgustavo"),
                entry("ParentProcessGuid", "{aa6b4a20-2065-5c91-0000-0010e9db1905}"));
    }

    @Test
    void winlogbeatWithoutUtcTimeUsesTimestamp() {
        String raw = "{\"@timestamp\":\"2019-05-18T20:37:15.419Z\",\"event_id\":5154,\"log_name\":\"Security\","
                + "\"source_name\":\"Microsoft-Windows-Security-Auditing\",\"computer_name\":\"HR001.shire.com\","
                + "\"host\":{\"name\":\"WECserver\"},\"event_data\":{\"ProcessId\":\"7248\",\"SourcePort\":\"3389\"}}";
        Event event = decoded(raw);
        assertThat(event.timeMicros()).isEqualTo(micros("2019-05-18T20:37:15.419Z"));
        assertThat(event.fields()).contains(entry("EventID", 5154), entry("SourcePort", "3389"), entry("Channel", "Security"));
    }

    @Test
    void sentinelExportWithEventDataAsJsonText() {
        Event event = decoded(record("sentinel-eid3.json"));
        assertThat(event.format()).isEqualTo("sentinel");
        assertThat(event.host()).isEqualTo("WORKSTATION5");
        assertThat(event.timeMicros()).isEqualTo(micros("2022-05-13T08:54:05.123Z")); // UtcTime inside EventData
        assertThat(event.fields()).contains(
                entry("EventID", 3),
                entry("Channel", "Microsoft-Windows-Sysmon/Operational"),
                entry("Provider_Name", "Microsoft-Windows-Sysmon"),
                entry("Image", "C:\\ProgramData\\chocolatey\\lib\\Tomcat\\tools\\apache-tomcat-9.0.62\\bin\\tomcat9.exe"),
                entry("Initiated", "false"),
                entry("DestinationIp", "192.168.2.5"),
                entry("DestinationPort", "8080"));
    }

    @Test
    void sentinelEventTableWithXmlEventData() {
        String raw = "{\"TimeGenerated\":\"2022-05-13T08:54:06.347Z\",\"Source\":\"Microsoft-Windows-Sysmon\","
                + "\"EventLog\":\"Microsoft-Windows-Sysmon/Operational\",\"Computer\":\"WORKSTATION5\",\"EventID\":1,"
                + "\"EventData\":\"<DataItem type=\\\"System.XmlData\\\" time=\\\"2022-05-13T08:54:06Z\\\">"
                + "<EventData xmlns=\\\"http://schemas.microsoft.com/win/2004/08/events/event\\\">"
                + "<Data Name=\\\"UtcTime\\\">2022-05-13 08:54:05.123</Data>"
                + "<Data Name=\\\"Image\\\">C:\\\\Windows\\\\System32\\\\cmd.exe</Data>"
                + "<Data Name=\\\"CommandLine\\\">cmd.exe /c echo &quot;a &amp; b&quot; &gt; &#x41;&#66;.txt</Data>"
                + "<Data Name=\\\"RuleName\\\" />"
                + "</EventData></DataItem>\"}";
        Event event = decoded(raw);
        assertThat(event.format()).isEqualTo("sentinel");
        assertThat(event.timeMicros()).isEqualTo(micros("2022-05-13T08:54:05.123Z"));
        assertThat(event.fields()).contains(
                entry("EventID", 1), entry("Channel", "Microsoft-Windows-Sysmon/Operational"),
                entry("Provider_Name", "Microsoft-Windows-Sysmon"), entry("Image", "C:\\Windows\\System32\\cmd.exe"),
                entry("CommandLine", "cmd.exe /c echo \"a & b\" > AB.txt"), entry("CommandLineArgCount", 5),
                entry("RuleName", ""));
    }

    @Test
    void sentinelWithUnreadableEventDataIsDeadLettered() {
        String raw = "{\"Computer\":\"W1\",\"EventID\":1,\"TimeGenerated\":\"2022-05-13T08:54:06.347Z\","
                + "\"EventData\":\"Image=C:\\\\x.exe\"}";
        assertThat(deadReason(raw)).isEqualTo("event data is neither a JSON object nor event XML: 'Image=C:\\x.exe'");
    }

    @Test
    void ecsNetworkConnectionDirectionBecomesInitiated() {
        Event event = decoded(record("ecs-netconn.json"));
        assertThat(event.format()).isEqualTo("ecs");
        assertThat(event.host()).isEqualTo("WKS-ECS-04");
        assertThat(event.timeMicros()).isEqualTo(micros("2024-03-12T09:02:00.250Z"));
        assertThat(event.fields()).containsOnly(
                entry("EventID", 3),                                  // inferred from event.category network
                entry("Channel", "Microsoft-Windows-Sysmon/Operational"),
                entry("Provider_Name", "Microsoft-Windows-Sysmon"),
                entry("Computer", "WKS-ECS-04"),
                entry("Image", "C:\\WINDOWS\\SYSTEM32\\WERFAULT.EXE"),
                entry("ProcessId", "6120"),
                entry("ProcessGuid", "{7c1d2a90-0e10-65f0-3c02-000000001100}"),
                entry("User", "CORP\\asmith"),
                entry("Initiated", "true"),                           // egress
                entry("Protocol", "tcp"),
                entry("SourceIp", "10.20.4.17"),
                entry("SourcePort", "50123"),
                entry("DestinationIp", "192.0.2.80"),
                entry("DestinationPort", "443"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "absent", value = {
            "outbound, true", "egress, true", "inbound, false", "ingress, false", "OUTBOUND, true",
            "internal, absent", "unknown, absent"})
    void ecsDirectionMapping(String direction, String initiated) {
        String raw = "{\"@timestamp\":\"2024-03-12T09:02:00Z\",\"host\":{\"name\":\"h\"},\"event\":{\"code\":\"3\"},"
                + "\"network\":{\"direction\":\"" + direction + "\"},\"destination\":{\"ip\":\"192.0.2.1\"}}";
        assertThat(decoded(raw).field("Initiated")).isEqualTo(initiated);
    }

    @Test
    void ecsProcessStartWithoutEventCodeIsInferredAndOffsetApplied() {
        Event event = decoded(record("ecs-process-start-no-code.json"));
        assertThat(event.timeMicros()).isEqualTo(micros("2024-03-12T08:00:00.125Z"));
        assertThat(event.fields()).contains(
                entry("EventID", 1),
                entry("Channel", "Microsoft-Windows-Sysmon/Operational"),
                entry("Image", "C:\\WINDOWS\\SYSTEM32\\WERFAULT.EXE"),
                entry("CommandLine", "C:\\WINDOWS\\SYSTEM32\\WERFAULT.EXE"),
                entry("CommandLineArgCount", 0),
                entry("ParentImage", "C:\\Windows\\explorer.exe"),
                entry("ParentProcessGuid", "{7c1d2a90-0001-65f0-1a00-000000001100}"),
                entry("ParentProcessId", "4100"),
                entry("User", "asmith"));
    }

    @Test
    void ecsWithoutWinlogIsRoutedByItsProvider() {
        // as shippers other than Winlogbeat write it: event.code and event.provider, no winlog.*
        Event event = decoded("{\"@timestamp\":\"2024-03-12T10:00:00.000Z\",\"host\":{\"name\":\"WKS-1\"},"
                + "\"event\":{\"code\":\"1\",\"provider\":\"Microsoft-Windows-Sysmon\",\"module\":\"sysmon\"},"
                + "\"process\":{\"executable\":\"C:\\\\Windows\\\\System32\\\\wermgr.exe\",\"entity_id\":\"{g1}\","
                + "\"command_line\":\"C:\\\\Windows\\\\System32\\\\wermgr.exe\"}}");
        assertThat(event.fields()).contains(entry("EventID", 1), entry("Channel", "Microsoft-Windows-Sysmon/Operational"),
                entry("Provider_Name", "Microsoft-Windows-Sysmon"), entry("Image", "C:\\Windows\\System32\\wermgr.exe"),
                entry("ProcessGuid", "{g1}"), entry("CommandLineArgCount", 0));
        Event security = decoded("{\"@timestamp\":\"2024-03-12T10:00:00Z\",\"host\":{\"name\":\"WKS-1\"},"
                + "\"event\":{\"code\":\"4688\",\"provider\":\"Microsoft-Windows-Security-Auditing\"}}");
        assertThat(security.fields()).contains(entry("EventID", 4688), entry("Channel", "Security"));
        // winlog.channel, when present, is the channel; an unknown provider is kept as it is
        Event both = decoded("{\"@timestamp\":\"2024-03-12T10:00:00Z\",\"host\":{\"name\":\"h\"},"
                + "\"winlog\":{\"channel\":\"Microsoft-Windows-Sysmon/Operational\"},\"event\":{\"code\":\"3\","
                + "\"provider\":\"Microsoft-Windows-Security-Auditing\"}}");
        assertThat(both.field("Channel")).isEqualTo("Microsoft-Windows-Sysmon/Operational");
        Event unknown = decoded("{\"@timestamp\":\"2024-03-12T10:00:00Z\",\"host\":{\"name\":\"h\"},"
                + "\"event\":{\"code\":\"7\",\"provider\":\"Contoso-Agent\"}}");
        assertThat(unknown.field("Channel")).isEqualTo("Contoso-Agent");
    }

    @Test
    void elasticDefendProcessAndNetworkEventsAreInferred() {
        Event start = decoded("{\"@timestamp\":\"2024-03-12T10:00:00.000Z\",\"host\":{\"hostname\":\"wks-2\","
                + "\"name\":\"wks-2\"},\"event\":{\"dataset\":\"endpoint.events.process\",\"category\":[\"process\"],"
                + "\"type\":[\"start\"],\"action\":\"start\",\"kind\":\"event\"},\"process\":{\"executable\":"
                + "\"C:\\\\Windows\\\\System32\\\\cmd.exe\",\"entity_id\":\"ZGVm\",\"parent\":{\"executable\":"
                + "\"C:\\\\Windows\\\\System32\\\\wermgr.exe\",\"entity_id\":\"cGFy\"}}}");
        assertThat(start.fields()).contains(entry("EventID", 1), entry("Channel", "Microsoft-Windows-Sysmon/Operational"),
                entry("Image", "C:\\Windows\\System32\\cmd.exe"), entry("ParentProcessGuid", "cGFy"));
        Event connection = decoded("{\"@timestamp\":\"2024-03-12T10:00:01Z\",\"host\":{\"name\":\"wks-2\"},"
                + "\"event\":{\"dataset\":\"endpoint.events.network\",\"category\":[\"network\"],"
                + "\"type\":[\"start\",\"connection\"]},\"network\":{\"direction\":\"egress\",\"transport\":\"tcp\"},"
                + "\"destination\":{\"ip\":\"192.0.2.7\",\"port\":443},\"process\":{\"entity_id\":\"cGFy\"}}");
        assertThat(connection.fields()).contains(entry("EventID", 3), entry("Initiated", "true"),
                entry("DestinationIp", "192.0.2.7"), entry("DestinationPort", "443"), entry("ProcessGuid", "cGFy"));
    }

    /** Elastic Defend 8 as stored in logs-endpoint.events.process-*: a full record, every mapped field. */
    @Test
    void elasticDefendProcessStartIsASysmonProcessCreation() {
        Event start = decoded(record("elastic-defend-process-start.json"));
        assertThat(start.host()).isEqualTo("WKS-CHAIN.contoso.local");
        assertThat(start.timeMicros()).isEqualTo(micros("2024-03-12T10:00:00.125Z"));
        assertThat(start.fields()).contains(entry("EventID", 1),
                entry("Channel", "Microsoft-Windows-Sysmon/Operational"), entry("Provider_Name", "Microsoft-Windows-Sysmon"),
                entry("Image", "C:\\Windows\\System32\\wermgr.exe"),
                entry("CommandLine", "\"C:\\Windows\\System32\\wermgr.exe\""),
                entry("ProcessGuid", "OGQ3ZjNjMmEtNGIxZS00ZjdhLTljNmQtMmU1YjhhMWYwYzM5LTQyMTItMTMzNTQ5MjE2MDA="),
                entry("ProcessId", "4212"), entry("CurrentDirectory", "C:\\Users\\alice\\"),
                entry("ParentImage", "C:\\Users\\alice\\AppData\\Local\\Temp\\loader.exe"),
                entry("ParentCommandLine", "\"C:\\Users\\alice\\AppData\\Local\\Temp\\loader.exe\""),
                entry("ParentProcessGuid", "OGQ3ZjNjMmEtNGIxZS00ZjdhLTljNmQtMmU1YjhhMWYwYzM5LTYxMjAtMTMzNTQ5MjE1OTk="),
                entry("ParentProcessId", "6120"), entry("User", "CONTOSO\\alice"), entry("IntegrityLevel", "Medium"),
                entry("OriginalFileName", "WerMgr.exe"), entry("Company", "Microsoft Corporation"),
                entry("Description", "Windows Problem Reporting"),
                entry("Product", "Microsoft® Windows® Operating System"),
                entry("FileVersion", "10.0.19041.3636 (WinBuild.160101.0800)"), entry("CommandLineArgCount", 0));
    }

    /**
     * Elastic Endpoint 7.17 writes network.direction "outgoing"; a connection's end (disconnect_received) is the same
     * connection again and must not be a second Sysmon 3, or every network_connection rule would alert twice.
     */
    @Test
    void elasticDefendConnectionStartIsASysmonNetworkConnectionAndItsEndIsNot() {
        Event connect = decoded(record("elastic-defend-network-connect.json"));
        assertThat(connect.fields()).contains(entry("EventID", 3), entry("Initiated", "true"),
                entry("Channel", "Microsoft-Windows-Sysmon/Operational"),
                entry("Image", "C:\\Windows\\System32\\wermgr.exe"), entry("Protocol", "tcp"),
                entry("SourceIp", "10.0.4.21"), entry("SourcePort", "50123"),
                entry("DestinationIp", "203.0.113.50"), entry("DestinationPort", "443"));
        Event disconnect = decoded(record("elastic-defend-network-disconnect.json"));
        assertThat(disconnect.fields()).doesNotContainKeys("EventID", "Channel");
        Event accepted = decoded(record("elastic-defend-network-connect.json")
                .replace("connection_attempted", "connection_accepted").replace("outgoing", "incoming"));
        assertThat(accepted.fields()).contains(entry("EventID", 3), entry("Initiated", "false"));
        Event end = decoded(record("elastic-defend-process-start.json").replace("\"start\"", "\"end\""));
        assertThat(end.fields()).contains(entry("EventID", 5), entry("Image", "C:\\Windows\\System32\\wermgr.exe"));
    }

    /** Elastic's Sysmon integration with winlog.* removed: event.code and event.provider route it; ECS names map. */
    @Test
    void ecsSysmonConnectionWithoutWinlogKeepsItsEventIdAndFields() {
        Event event = decoded(record("ecs-no-winlog-sysmon3.json"));
        assertThat(event.host()).isEqualTo("WKS-CHAIN.contoso.local");
        assertThat(event.fields()).contains(entry("EventID", 3),
                entry("Channel", "Microsoft-Windows-Sysmon/Operational"), entry("Provider_Name", "Microsoft-Windows-Sysmon"),
                entry("ProcessGuid", "{3e91c0d7-0c01-65f0-02d1-000000001eef}"), entry("ProcessId", "4212"),
                entry("Initiated", "true"), entry("DestinationIp", "203.0.113.50"), entry("User", "CONTOSO\\alice"));
        // a shipper that wrote the GUID without Sysmon's braces gets them back
        Event bare = decoded(record("ecs-no-winlog-sysmon3.json").replace("{3e91c0d7", "3e91c0d7").replace("1eef}", "1eef"));
        assertThat(bare.field("ProcessGuid")).isEqualTo("{3e91c0d7-0c01-65f0-02d1-000000001eef}");
    }

    @Test
    void defenderNamesWithSpacesLoseThem() {
        // Windows Defender 1116 as evtx_dump writes it
        Event event = decoded("{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":{\"Name\":"
                + "\"Microsoft-Windows-Windows Defender\"}},\"EventID\":1116,\"Channel\":"
                + "\"Microsoft-Windows-Windows Defender/Operational\",\"Computer\":\"WKS-3\",\"TimeCreated\":"
                + "{\"#attributes\":{\"SystemTime\":\"2024-03-12T10:00:00Z\"}}},\"EventData\":{\"Product Name\":"
                + "\"Microsoft Defender Antivirus\",\"Threat Name\":\"HackTool:Win32/Mimikatz\",\"Severity Name\":"
                + "\"High\",\"Process Name\":\"C:\\\\Tools\\\\m.exe\",\"Source Name\":\"Real-Time Protection\","
                + "\"Path\":\"file:_C:\\\\Tools\\\\m.exe\"}}}");
        assertThat(event.fields()).contains(entry("EventID", 1116), entry("ThreatName", "HackTool:Win32/Mimikatz"),
                entry("ProcessName", "C:\\Tools\\m.exe"), entry("SourceName", "Real-Time Protection"),
                entry("SeverityName", "High"), entry("ProductName", "Microsoft Defender Antivirus"),
                entry("Path", "file:_C:\\Tools\\m.exe"));
        assertThat(event.fields()).doesNotContainKeys("Threat Name", "Process Name");
    }

    @Test
    void ecsFromWinlogbeat8KeepsWinlogEventData() {
        Event event = decoded(record("ecs-winlogbeat8-sysmon22.json"));
        assertThat(event.host()).isEqualTo("WKS-ECS-04.corp.example");           // winlog.computer_name first
        assertThat(event.timeMicros()).isEqualTo(micros("2024-03-12T09:04:59.871Z")); // event_data.UtcTime
        assertThat(event.fields()).contains(
                entry("EventID", 22), entry("QueryName", "watson.telemetry.microsoft.com"),
                entry("Image", "C:\\WINDOWS\\SYSTEM32\\WERFAULT.EXE"), entry("QueryStatus", "0"),
                entry("Channel", "Microsoft-Windows-Sysmon/Operational"));
    }

    @Test
    void flattenedEcsKeysAreFound() {
        String raw = "{\"@timestamp\":\"2024-03-12T09:00:00Z\",\"host.name\":\"H1\",\"event.code\":\"1\","
                + "\"process.executable\":\"C:\\\\x.exe\",\"process.parent.executable\":\"C:\\\\p.exe\"}";
        assertThat(decoded(raw).fields()).contains(
                entry("Computer", "H1"), entry("EventID", 1), entry("Image", "C:\\x.exe"), entry("ParentImage", "C:\\p.exe"));
    }

    @Test
    void flatRecordWithoutUtcTimeFallsBackToTimeCreatedThenTimestampThenEventTime() {
        String base = "{\"EventID\":4624,\"Channel\":\"Security\",\"Hostname\":\"H\"";
        assertThat(decoded(base + ",\"TimeCreated\":\"2020-10-21 12:19:04.414\"}").timeMicros())
                .isEqualTo(micros("2020-10-21T12:19:04.414Z"));
        assertThat(decoded(base + ",\"EventTime\":\"2019-12-24 23:52:48\",\"@timestamp\":\"2019-12-25T04:52:49.358Z\"}").timeMicros())
                .isEqualTo(micros("2019-12-25T04:52:49.358Z"));
        assertThat(decoded(base + ",\"EventTime\":\"2019-12-24 23:52:48\"}").timeMicros())
                .isEqualTo(micros("2019-12-24T23:52:48Z"));
    }

    @Test
    void numbersAndBooleansBecomeStringsAndNullsAndObjectsAreLeftOut() {
        Event event = decoded("{\"EventID\":\"3\",\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00.000\","
                + "\"DestinationPort\":443,\"Initiated\":true,\"Path\":null,\"tags\":[\"a\"],\"Extra\":{\"a\":1}}");
        assertThat(event.fields()).containsOnly(entry("EventID", 3), entry("Computer", "H"),
                entry("UtcTime", "2024-03-12 09:00:00.000"), entry("DestinationPort", "443"), entry("Initiated", "true"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not json at all                                               | not JSON: ",
            "``                                                            | not JSON: empty input",
            "null                                                          | not a JSON object",
            "[{\"EventID\":1}]                                             | not a JSON object",
            "42                                                            | not a JSON object",
            "\"text\"                                                      | not a JSON object",
            "{\"a\":1}                                                     | unrecognised record shape",
            "{\"EventID\":1,\"Hostname\":\"H\"}                            | no event time",
            "{\"EventID\":1,\"Hostname\":\"H\",\"UtcTime\":\"soon\"}       | unparseable event time 'soon'",
            "{\"EventID\":1,\"Hostname\":\"H\",\"UtcTime\":{\"a\":1}}      | unparseable event time '{\"a\":1}'",
            "{\"EventID\":1,\"Hostname\":\"\",\"UtcTime\":\"2024-03-12 09:00:00\"}  | no host",
            "{\"EventID\":{\"a\":1},\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\"} | field EventID has wrong type (object)",
            "{\"EventID\":[1],\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\"} | field EventID has wrong type (array)",
            "{\"EventID\":\"one\",\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\"} | field EventID is not an integer 'one'",
            "{\"EventID\":1,\"Hostname\":{\"x\":1},\"UtcTime\":\"2024-03-12 09:00:00\"} | field Computer has wrong type (object)",
            "{\"EventID\":1,\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\"} trailing | not JSON: ",
    })
    void deadLetterReasons(String raw, String reason) {
        assertThat(deadReason(raw)).startsWith(reason.strip());
    }

    @Test
    void bytesThatAreNotUtf8AreADeadLetterNotAGuess() {
        byte[] head = "{\"EventID\":1,\"Hostname\":\"H".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\",\"UtcTime\":\"2024-03-12 09:00:00\"}".getBytes(StandardCharsets.UTF_8);
        byte[] record = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, record, 0, head.length);
        record[head.length] = (byte) 0xFF;
        System.arraycopy(tail, 0, record, head.length + 1, tail.length);
        DecodeResult result = new EventDecoder().decodeUtf8(record, 0, record.length);
        assertThat(result.event()).isNull();
        assertThat(result.deadLetter().reason()).startsWith("not JSON: Invalid UTF-8 start byte 0xff");
        assertThat(result.deadLetter().raw()).isEqualTo("{\"EventID\":1,\"Hostname\":\"H\uFFFD\",\"UtcTime\":\"2024-03-12 09:00:00\"}");
    }

    @Test
    void anOwnedRecordIsKeptAsItIsAndDecodesAsACopiedOne() {
        byte[] record = "{\"EventID\":1,\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\",\"Image\":\"C:\\\\x.exe\"}"
                .getBytes(StandardCharsets.UTF_8);
        Event owned = new EventDecoder().decodeOwnedUtf8(record).event();
        Event copied = new EventDecoder().decodeUtf8(record, 0, record.length).event();
        assertThat(owned.rawUtf8()).isSameAs(record);
        assertThat(copied.rawUtf8()).isNotSameAs(record).isEqualTo(record);
        assertThat(owned.fields()).isEqualTo(copied.fields()).containsEntry("Image", "C:\\x.exe");
        assertThat(owned.raw()).isEqualTo(copied.raw());
    }

    @Test
    void numericHostIsTakenAsText() {
        assertThat(decoded("{\"EventID\":1,\"Computer\":42,\"UtcTime\":\"2024-03-12 09:00:00\"}").host()).isEqualTo("42");
    }

    @Test
    void nestingTooDeep() {
        String raw = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThat(deadReason(raw)).isEqualTo("nesting too deep");
    }

    @Test
    void recordTooLarge() {
        EventDecoder small = new EventDecoder(100);
        String raw = "{\"EventID\":1,\"Hostname\":\"H\",\"UtcTime\":\"2024-03-12 09:00:00\",\"x\":\"" + "y".repeat(200) + "\"}";
        assertThat(small.decode(raw).deadLetter().reason()).isEqualTo("record too large (" + raw.length() + " chars > 100)");
    }

    @Test
    void eventIdAsDigitsInAStringIsAnInteger() {
        assertThat(decoded("{\"EventID\":\" 4688 \",\"Hostname\":\"H\",\"TimeCreated\":\"2024-03-12T09:00:00Z\"}")
                .field("EventID")).isEqualTo(4688);
    }
}
