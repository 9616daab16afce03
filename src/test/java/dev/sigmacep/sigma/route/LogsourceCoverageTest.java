package dev.sigmacep.sigma.route;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.Logsource;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every logsource that SigmaHQ's {@code rules/windows} rules use: an event of each channel and event id that
 * {@code logsources.yaml} routes to it, written as evtx_dump writes it and decoded, meets every rule of that
 * logsource; the logsources left unrouted are exactly the deliberate ones; and the review table in
 * {@code docs/logsources.md} lists each logsource with its rule count and route as computed here.
 */
class LogsourceCoverageTest {
    /** Logsources no Windows event log carries; docs/logsources.md says why. */
    private static final Set<String> DELIBERATELY_UNROUTED = Set.of("category: file_access", "category: file_rename");
    private static final Path REVIEW_TABLE = Path.of("docs/logsources.md");

    private static CompiledRulePack pack;
    /** logsource key -> indices of its rules */
    private static Map<String, List<Integer>> rulesByLogsource;
    private static Map<String, LogsourceRouter.Route> routes;

    @BeforeAll
    static void load() {
        RulePack rules = new RuleLoader(MatchContext.empty())
                .load(RuleLoader.read(List.of(SharedData.path("data/sigma/rules/windows"))));
        pack = CompiledRulePack.compile(rules.compiled());
        rulesByLogsource = new TreeMap<>();
        routes = new TreeMap<>();
        LogsourceRouter router = LogsourceRouter.bundled();
        for (int i = 0; i < pack.size(); i++) {
            Logsource logsource = pack.rule(i).logsource();
            String key = key(logsource);
            rulesByLogsource.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            routes.putIfAbsent(key, router.route(logsource));
        }
    }

    /** How docs/logsources.md names a logsource. */
    private static String key(Logsource logsource) {
        List<String> parts = new ArrayList<>();
        if (logsource.category() != null) parts.add("category: " + logsource.category());
        if (logsource.service() != null) parts.add("service: " + logsource.service());
        if (parts.isEmpty()) parts.add("product: " + logsource.product());
        return String.join(", ", parts);
    }

    /** A Windows event as evtx_dump writes it, decoded as the job decodes it. */
    private static Event windowsEvent(String channel, int eventId) {
        String record = "{\"Event\":{\"System\":{\"EventID\":" + eventId + ",\"Channel\":\"" + channel + "\","
                + "\"Computer\":\"WKS-1\",\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2024-03-12T10:00:00Z\"}}},"
                + "\"EventData\":{\"Data\":\"x\"}}}";
        DecodeResult decoded = new EventDecoder().decode(record);
        assertThat(decoded.deadLetter()).as(record).isNull();
        return decoded.event();
    }

    private static Set<Integer> candidates(Event event) {
        return Arrays.stream(pack.candidates(event)).boxed().collect(Collectors.toSet());
    }

    /** The route as the review table writes it. */
    private static String routeText(LogsourceRouter.Route route) {
        return switch (route.kind()) {
            case ALL_EVENTS -> "every event";
            case CHANNELS -> "every event of " + new TreeSet<>(route.channels()).stream()
                    .map(c -> "`" + c + "`").collect(Collectors.joining(", "));
            case EVENTS -> route.events().entrySet().stream()
                    .map(e -> "`" + e.getKey() + "` " + e.getValue().stream().map(String::valueOf)
                            .collect(Collectors.joining(", ")))
                    .collect(Collectors.joining("; "));
            case UNROUTED -> "unrouted";
        };
    }

    @Test
    void eachRoutedLogsourceMeetsItsRulesOnEveryEventRoutedToIt() {
        int probes = 0;
        for (Map.Entry<String, List<Integer>> logsource : rulesByLogsource.entrySet()) {
            LogsourceRouter.Route route = routes.get(logsource.getKey());
            List<Integer> rules = logsource.getValue();
            switch (route.kind()) {
                case EVENTS -> {
                    for (Map.Entry<String, Set<Integer>> channel : route.events().entrySet()) {
                        for (int eventId : channel.getValue()) {
                            assertThat(candidates(windowsEvent(channel.getKey(), eventId)))
                                    .as("%s: %s %d", logsource.getKey(), channel.getKey(), eventId).containsAll(rules);
                            probes++;
                        }
                        // another event of the same channel is not this logsource's
                        assertThat(candidates(windowsEvent(channel.getKey(), 31_999)))
                                .as("%s: %s 31999", logsource.getKey(), channel.getKey()).doesNotContainAnyElementsOf(rules);
                    }
                }
                case CHANNELS -> {
                    for (String channel : route.channels()) {
                        for (int eventId : new int[] {1, 4104, 31_999}) {
                            assertThat(candidates(windowsEvent(channel, eventId)))
                                    .as("%s: %s %d", logsource.getKey(), channel, eventId).containsAll(rules);
                            probes++;
                        }
                    }
                    assertThat(candidates(windowsEvent("Contoso-Nowhere/Operational", 1)))
                            .as(logsource.getKey()).doesNotContainAnyElementsOf(rules);
                }
                case ALL_EVENTS -> {
                    assertThat(candidates(windowsEvent("Contoso-Nowhere/Operational", 1))).containsAll(rules);
                    probes++;
                }
                case UNROUTED -> assertThat(DELIBERATELY_UNROUTED).as(logsource.getKey()).contains(logsource.getKey());
            }
        }
        assertThat(probes).isGreaterThan(rulesByLogsource.size());
    }

    @Test
    void theUnroutedLogsourcesAreExactlyTheDeliberateOnes() {
        Map<String, String> unrouted = new TreeMap<>();
        routes.forEach((key, route) -> {
            if (route.kind() == LogsourceRouter.Route.Kind.UNROUTED) {
                unrouted.put(key, rulesByLogsource.get(key).size() + " rules: " + route.unroutedReason());
            }
        });
        assertThat(unrouted.keySet())
                .as("unrouted logsources of SigmaHQ's windows rules %s: map a new one in sigma/logsources.yaml, or "
                        + "document why it is unrouted in docs/logsources.md and DELIBERATELY_UNROUTED", unrouted)
                .isEqualTo(DELIBERATELY_UNROUTED);
        assertThat(pack.unroutedRules()).hasSize(DELIBERATELY_UNROUTED.stream().mapToInt(k -> rulesByLogsource.get(k).size()).sum());
    }

    /** ECS records without winlog.* name only the provider: each provider mapped stands for its service's channel. */
    @Test
    void ecsProvidersReachTheirServicesRules() {
        Map<String, String> providers = new TreeMap<>(Map.ofEntries(
                Map.entry("Microsoft-Windows-Security-Auditing", "service: security"),
                Map.entry("Service Control Manager", "service: system"),
                Map.entry("Microsoft-Windows-Windows Defender", "service: windefend"),
                Map.entry("Microsoft-Windows-NTLM", "service: ntlm"),
                Map.entry("Microsoft-Windows-AppXDeploymentServer", "service: appxdeployment-server"),
                Map.entry("Microsoft-Windows-AppxPackagingOM", "service: appxpackaging-om"),
                Map.entry("Microsoft-Windows-Windows Firewall With Advanced Security", "service: firewall-as"),
                Map.entry("Microsoft-Windows-DNS-Server-Service", "service: dns-server"),
                Map.entry("MSExchange CmdletLogs", "service: msexchange-management"),
                Map.entry("Microsoft-IIS-Configuration", "service: iis-configuration"),
                Map.entry("OpenSSH", "service: openssh"),
                Map.entry("Microsoft-Windows-LDAP-Client", "service: ldap"),
                Map.entry("Microsoft-Windows-TerminalServices-LocalSessionManager",
                        "service: terminalservices-localsessionmanager")));
        providers.forEach((provider, service) -> {
            String record = "{\"@timestamp\":\"2024-03-12T10:00:00Z\",\"host\":{\"name\":\"WKS-1\"},"
                    + "\"event\":{\"code\":\"4242\",\"provider\":\"" + provider + "\"}}";
            DecodeResult decoded = new EventDecoder().decode(record);
            assertThat(candidates(decoded.event())).as(provider).containsAll(rulesByLogsource.get(service));
        });
    }

    @Test
    void theReviewTableListsEveryLogsourceWithItsRuleCountAndRoute() throws Exception {
        List<String> table = Files.readAllLines(REVIEW_TABLE).stream().filter(l -> l.startsWith("| `")).toList();
        List<String> missing = new ArrayList<>();
        rulesByLogsource.forEach((key, rules) -> {
            String row = "| `" + key + "` | " + rules.size() + " | " + routeText(routes.get(key)) + " |";
            if (table.stream().noneMatch(line -> line.startsWith(row))) missing.add(row);
        });
        assertThat(missing).as("rows of %s that are missing or out of date", REVIEW_TABLE).isEmpty();
        assertThat(table).as("rows of logsources the pack no longer uses").hasSize(rulesByLogsource.size());
    }
}
