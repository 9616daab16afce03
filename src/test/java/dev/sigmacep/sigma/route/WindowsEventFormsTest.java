package dev.sigmacep.sigma.route;

import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.testing.UserDataRecords;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real forms of Windows events reach SigmaHQ rules as published (the rules from ../shared, the events as shipped). */
class WindowsEventFormsTest {
    private static final Path SIGMA = Path.of(System.getProperty("sigmacep.shared", "../shared"), "data/sigma/rules/windows");

    private static List<String> matchingRules(String rulePath, String record) throws Exception {
        Path rule = SIGMA.resolve(rulePath);
        assumeTrue(Files.exists(rule), "SigmaHQ rules not found beside the checkout: " + rule.toAbsolutePath());
        RulePack pack = new RuleLoader(MatchContext.empty()).load(RuleLoader.readSources(List.of(rule)));
        assertThat(pack.errors()).isEmpty();
        CompiledRulePack compiled = CompiledRulePack.compile(pack.compiled());
        Event event = new EventDecoder().decode(record).event();
        assertThat(event).as("decoded").isNotNull();
        List<String> titles = new ArrayList<>();
        compiled.match(event, i -> titles.add(compiled.rule(i).title()));
        return titles;
    }

    @Test
    void defenderDetectionWithSpacedNamesMeetsTheSigmaHqRule() throws Exception {
        String defender = "{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Windows Defender\"}},"
                + "\"EventID\":1116,\"Channel\":\"Microsoft-Windows-Windows Defender/Operational\",\"Computer\":\"WKS-3\","
                + "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2024-03-12T10:00:00Z\"}}},\"EventData\":{"
                + "\"Threat Name\":\"Trojan:PowerShell/Stager\",\"Source Name\":\"AMSI\",\"Process Name\":\"Unknown\"}}}";
        assertThat(matchingRules("builtin/windefend/win_defender_malware_detected_amsi_source.yml", defender))
                .containsExactly("Windows Defender AMSI Trigger Detected");
    }

    /** WMI-Activity 5858 has UserData, not EventData; its fields reach the rule from every shape that carries it. */
    @Test
    void wmiUserDataMeetsTheSigmaHqRuleInEveryShape() throws Exception {
        for (String record : List.of(UserDataRecords.evtxDump5858(), UserDataRecords.winlogbeat5858(),
                UserDataRecords.ecs5858(), UserDataRecords.sentinelEventTable5858(),
                UserDataRecords.sentinelWindowsEvent5858(), UserDataRecords.nxlog5858())) {
            assertThat(matchingRules("builtin/wmi/win_wmi_activity_nteventlogfile_cleareventlog.yml", record))
                    .as(record).containsExactly("Failed Event Log Clear Via WMI NTEventLogFile ClearEventLog");
        }
    }

    @Test
    void ecsWithoutWinlogMeetsProcessCreationRules() throws Exception {
        String ecs = "{\"@timestamp\":\"2024-03-12T10:00:00Z\",\"host\":{\"name\":\"WKS-1\"},\"event\":{\"code\":\"1\","
                + "\"provider\":\"Microsoft-Windows-Sysmon\"},\"process\":{\"executable\":\"C:\\\\Windows\\\\System32\\\\cmd.exe\","
                + "\"command_line\":\"cmd.exe /c whoami\",\"parent\":{\"executable\":\"C:\\\\Windows\\\\System32\\\\wermgr.exe\"}}}";
        assertThat(matchingRules("process_creation/proc_creation_win_wermgr_susp_child_process.yml", ecs))
                .containsExactly("Suspicious Child Process Of Wermgr.EXE");
    }

    /** The first seed's rule, published as KQL over imProcessCreate, meets an ASIM process row as a Sigma rule. */
    @Test
    void asimProcessRowMeetsProcessCreationRules() throws Exception {
        String asim = "{\"TimeGenerated\":\"2024-03-12T10:00:02.1000000Z\",\"EventStartTime\":\"2024-03-12T10:00:00.0000000Z\","
                + "\"EventType\":\"ProcessCreated\",\"EventProduct\":\"Microsoft Defender for Endpoint\",\"EventVendor\":\"Microsoft\","
                + "\"EventSchema\":\"ProcessEvent\",\"DvcHostname\":\"WKS-1\",\"DvcFQDN\":\"\","
                + "\"ActingProcessName\":\"C:\\\\Windows\\\\System32\\\\wermgr.exe\",\"ActingProcessGuid\":\"\","
                + "\"TargetProcessName\":\"C:\\\\Windows\\\\System32\\\\cmd.exe\",\"TargetProcessCommandLine\":\"cmd.exe /c whoami\"}";
        assertThat(matchingRules("process_creation/proc_creation_win_wermgr_susp_child_process.yml", asim))
                .containsExactly("Suspicious Child Process Of Wermgr.EXE");
    }

    /** ASIM endpoint sessions meet network_connection rules that look at the direction: outbound and inbound. */
    @Test
    void asimNetworkSessionsMeetNetworkConnectionRules() throws Exception {
        String outbound = "{\"EventStartTime\":\"2024-03-12T10:00:00Z\",\"EventType\":\"EndpointNetworkSession\","
                + "\"EventProduct\":\"Sysmon\",\"EventSchema\":\"NetworkSession\",\"DvcHostname\":\"WKS-1\","
                + "\"NetworkDirection\":\"Outbound\",\"NetworkProtocol\":\"TCP\",\"SrcIpAddr\":\"10.0.0.5\",\"SrcPortNumber\":50123,"
                + "\"SrcProcessName\":\"C:\\\\Windows\\\\System32\\\\certutil.exe\",\"DstProcessName\":\"\","
                + "\"DstIpAddr\":\"203.0.113.9\",\"DstPortNumber\":443}";
        assertThat(matchingRules("network_connection/net_connection_win_certutil_initiated_connection.yml", outbound))
                .containsExactly("Uncommon Network Connection Initiated By Certutil.EXE");
        String inbound = "{\"EventStartTime\":\"2024-03-12T10:00:00Z\",\"EventType\":\"EndpointNetworkSession\","
                + "\"EventProduct\":\"Sysmon\",\"EventSchema\":\"NetworkSession\",\"DvcHostname\":\"WKS-1\","
                + "\"NetworkDirection\":\"Inbound\",\"SrcIpAddr\":\"198.51.100.7\",\"SrcProcessName\":\"\","
                + "\"DstProcessName\":\"C:\\\\Program Files (x86)\\\\AnyDesk\\\\AnyDesk.exe\",\"DstIpAddr\":\"10.0.0.5\","
                + "\"DstPortNumber\":7070}";
        assertThat(matchingRules("network_connection/net_connection_win_remote_access_tools_anydesk_incoming_connection.yml",
                inbound)).containsExactly("Remote Access Tool - AnyDesk Incoming Connection");
        assertThat(matchingRules("network_connection/net_connection_win_certutil_initiated_connection.yml",
                inbound.replace("AnyDesk.exe", "certutil.exe"))).isEmpty();
    }
}
