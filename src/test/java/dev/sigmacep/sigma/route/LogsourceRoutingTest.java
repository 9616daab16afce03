package dev.sigmacep.sigma.route;

import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.Logsource;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.sigma.rule.SigmaRule;
import dev.sigmacep.testing.SharedData;
import dev.sigmacep.testing.TestEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class LogsourceRoutingTest {
    private static final String SYSMON = "Microsoft-Windows-Sysmon/Operational";
    private static CompiledRulePack pack;

    /** Every rule matches any event (keyword '*'), so what an event meets is decided by routing alone. */
    private static String rule(String id, String logsource) {
        return "title: " + id + "\nid: " + id + "\nlogsource: " + logsource + "\n"
                + "detection:\n    sel:\n        EventID|exists: true\n    condition: sel\n";
    }

    @BeforeAll
    static void compile() {
        List<RuleSource> sources = List.of(
                new RuleSource("r.yml", rule("proc", "{product: windows, category: process_creation}")),
                new RuleSource("r.yml", rule("net", "{product: windows, category: network_connection}")),
                new RuleSource("r.yml", rule("security", "{product: windows, service: security}")),
                new RuleSource("r.yml", rule("windows", "{product: windows}")),
                new RuleSource("r.yml", rule("sysmon-proc", "{product: windows, service: sysmon, category: process_creation}")),
                new RuleSource("r.yml", rule("linux", "{product: linux, category: process_creation}")),
                new RuleSource("r.yml", rule("unknown-category", "{product: windows, category: file_access}")),
                new RuleSource("r.yml", rule("no-product", "{category: process_creation}")),
                new RuleSource("r.yml", rule("cloud", "{product: aws, service: cloudtrail}")),
                new RuleSource("r.yml", rule("registry", "{product: windows, category: registry_event}")),
                new RuleSource("r.yml", rule("ps", "{product: windows, category: ps_script}")));
        RulePack rules = new RuleLoader(MatchContext.empty()).load(sources);
        assertThat(rules.errors()).isEmpty();
        pack = CompiledRulePack.compile(rules.compiled());
    }

    private static List<String> matches(String channel, int eventId) {
        List<String> ids = new ArrayList<>();
        pack.match(TestEvent.of("Channel", channel, "EventID", eventId), i -> ids.add(pack.rule(i).id()));
        return ids;
    }

    @Test
    void sysmonProcessCreationMeetsProcessCreationRulesOnly() {
        assertThat(matches(SYSMON, 1)).containsExactly("proc", "windows", "sysmon-proc", "no-product");
    }

    @Test
    void securityProcessCreationMeetsProcessCreationAndSecurityRules() {
        assertThat(matches("Security", 4688)).containsExactly("proc", "security", "windows", "no-product");
    }

    @Test
    void networkConnectionMeetsNetworkRules() {
        assertThat(matches(SYSMON, 3)).containsExactly("net", "windows");
    }

    @Test
    void securityServiceRulesMeetEverySecurityEvent() {
        assertThat(matches("Security", 4624)).containsExactly("security", "windows");
    }

    @Test
    void otherEventsMeetOnlyWindowsWideRules() {
        assertThat(matches(SYSMON, 99)).containsExactly("windows");
        assertThat(matches("System", 7045)).containsExactly("windows");
        List<String> ids = new ArrayList<>();
        pack.match(TestEvent.of("EventID", 1), i -> ids.add(pack.rule(i).id()));
        assertThat(ids).containsExactly("windows");
    }

    @Test
    void multiEventCategoriesAndPowerShell() {
        assertThat(matches(SYSMON, 12)).containsExactly("windows", "registry");
        assertThat(matches(SYSMON, 14)).containsExactly("windows", "registry");
        assertThat(matches("Microsoft-Windows-PowerShell/Operational", 4104)).containsExactly("windows", "ps");
        assertThat(matches("PowerShellCore/Operational", 4104)).containsExactly("windows", "ps");
    }

    @Test
    void unroutedReasons() {
        LogsourceRouter router = LogsourceRouter.bundled();
        assertThat(router.route(new Logsource(null, "proxy", null)).unroutedReason())
                .isEqualTo("category 'proxy' has no Windows event log mapping (the logsource names no product)");
        assertThat(router.route(new Logsource("windows", null, "nginx")).unroutedReason())
                .isEqualTo("service 'nginx' has no Windows event log mapping");
        assertThat(router.route(new Logsource("windows", "ps_script", "security")).unroutedReason())
                .isEqualTo("category 'ps_script' has no events on the channels of service 'security'");
        assertThat(router.route(new Logsource(null, null, null)).unroutedReason())
                .isEqualTo("logsource names no product, category or service");
    }

    @Test
    void nonWindowsAndUnmappedRulesLoadButAreUnrouted() {
        assertThat(pack.unroutedRules()).extracting(SigmaRule::id)
                .containsExactly("linux", "unknown-category", "cloud");
        assertThat(LogsourceRouter.bundled().route(pack.rule(5).logsource()).unroutedReason()).isEqualTo("product 'linux' is not routed: events are Windows event logs");
        assertThat(LogsourceRouter.bundled().route(pack.rule(6).logsource()).unroutedReason()).isEqualTo("category 'file_access' has no Windows event log mapping");
    }

    @Test
    void theBundledMappingFollowsTheTaxonomy() {
        LogsourceRouter router = LogsourceRouter.bundled();
        assertThat(router.route(new Logsource("windows", "process_creation", null)).events())
                .isEqualTo(Map.of(SYSMON, Set.of(1), "Security", Set.of(4688)));
        Map<String, Integer> sysmonCategories = Map.ofEntries(Map.entry("file_change", 2),
                Map.entry("process_termination", 5), Map.entry("driver_load", 6), Map.entry("image_load", 7),
                Map.entry("create_remote_thread", 8), Map.entry("raw_access_thread", 9),
                Map.entry("process_access", 10), Map.entry("file_event", 11), Map.entry("registry_add", 12),
                Map.entry("registry_delete", 12), Map.entry("registry_set", 13), Map.entry("registry_rename", 14),
                Map.entry("create_stream_hash", 15), Map.entry("dns_query", 22), Map.entry("clipboard_capture", 24),
                Map.entry("process_tampering", 25), Map.entry("file_delete_detected", 26),
                Map.entry("file_block_executable", 27), Map.entry("file_block_shredding", 28),
                Map.entry("file_executable_detected", 29), Map.entry("sysmon_error", 255));
        sysmonCategories.forEach((category, eventId) ->
                assertThat(router.route(new Logsource("windows", category, null)).events())
                        .as(category).isEqualTo(Map.of(SYSMON, Set.of(eventId))));
        assertThat(router.route(new Logsource("windows", "pipe_created", null)).events())
                .isEqualTo(Map.of(SYSMON, Set.of(17, 18)));
        assertThat(router.route(new Logsource("windows", "wmi_event", null)).events())
                .isEqualTo(Map.of(SYSMON, Set.of(19, 20, 21)));
        assertThat(router.route(new Logsource("windows", "sysmon_status", null)).events())
                .isEqualTo(Map.of(SYSMON, Set.of(4, 16)));
        assertThat(router.route(new Logsource("windows", "file_delete", null)).events())
                .isEqualTo(Map.of(SYSMON, Set.of(23, 26)));
        Map<String, String> services = Map.of("security", "Security", "system", "System", "sysmon", SYSMON,
                "powershell", "Microsoft-Windows-PowerShell/Operational", "powershell-classic", "Windows PowerShell",
                "taskscheduler", "Microsoft-Windows-TaskScheduler/Operational",
                "wmi", "Microsoft-Windows-WMI-Activity/Operational", "application", "Application",
                "windefend", "Microsoft-Windows-Windows Defender/Operational");
        services.forEach((service, channel) ->
                assertThat(router.route(new Logsource("windows", null, service)).channels())
                        .as(service).containsExactly(channel));
    }

    @Test
    void everyWindowsLogsourceOfSigmaHqIsRoutedExceptEtwOnlyOnes() {
        RulePack rules = new RuleLoader(MatchContext.empty())
                .load(RuleLoader.read(List.of(SharedData.path("data/sigma/rules/windows"))));
        CompiledRulePack compiled = CompiledRulePack.compile(rules.compiled());
        assertThat(compiled.unroutedRules()).extracting(rule -> rule.logsource().category())
                .containsOnly("file_access", "file_rename");

        // an event is tested against the rules routed to it, never the whole pack
        int[] processCreation = compiled.candidates(TestEvent.of("Channel", SYSMON, "EventID", 1));
        int[] expected = IntStream.range(0, compiled.size()).filter(i -> {
            LogsourceRouter.Route route = LogsourceRouter.bundled().route(compiled.rule(i).logsource());
            return switch (route.kind()) {
                case ALL_EVENTS -> true;
                case CHANNELS -> route.channels().contains(SYSMON);
                case EVENTS -> route.events().getOrDefault(SYSMON, Set.of()).contains(1);
                case UNROUTED -> false;
            };
        }).toArray();
        assertThat(processCreation).isEqualTo(expected);
        assertThat(processCreation.length).isLessThan(compiled.size() / 2);
        assertThat(compiled.candidates(TestEvent.of("Channel", SYSMON, "EventID", 3)).length)
                .isLessThan(compiled.size() / 10);
    }

    @Test
    void theSigmaHqPackMatchesTheSeedEventThroughRouting() {
        RulePack rules = new RuleLoader(MatchContext.empty())
                .load(RuleLoader.read(List.of(SharedData.path("data/sigma/rules/windows"))));
        CompiledRulePack compiled = CompiledRulePack.compile(rules.compiled());
        TestEvent event = TestEvent.of("Channel", SYSMON, "EventID", 1, "Computer", "ws1",
                "ParentImage", "C:\\Windows\\System32\\wermgr.exe", "Image", "C:\\Windows\\System32\\cmd.exe",
                "CommandLine", "cmd.exe /c whoami", "ParentCommandLine", "wermgr.exe -upload",
                "User", "CORP\\bob", "IntegrityLevel", "Medium", "ProcessId", 4242);
        List<String> matched = new ArrayList<>();
        compiled.match(event, i -> matched.add(compiled.rule(i).id()));
        assertThat(matched).contains("396f6630-f3ac-44e3-bfc8-1b161bc00c4e");

        // the same event on another channel or event id meets other rules only
        List<String> elsewhere = new ArrayList<>();
        compiled.match(TestEvent.of("Channel", SYSMON, "EventID", 3, "Image", "C:\\Windows\\System32\\cmd.exe",
                "ParentImage", "C:\\Windows\\System32\\wermgr.exe"), i -> elsewhere.add(compiled.rule(i).id()));
        assertThat(elsewhere).doesNotContain("396f6630-f3ac-44e3-bfc8-1b161bc00c4e");
    }
}
