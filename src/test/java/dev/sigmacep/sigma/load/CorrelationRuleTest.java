package dev.sigmacep.sigma.load;

import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.CorrelationCondition;
import dev.sigmacep.sigma.rule.CorrelationCondition.Comparison;
import dev.sigmacep.sigma.rule.CorrelationCondition.Operator;
import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.sigma.yaml.SigmaYaml;
import dev.sigmacep.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorrelationRuleTest {

    @SuppressWarnings("unchecked")
    private static CorrelationRule parse(String yaml) throws SigmaRuleException {
        return CorrelationParser.parse((Map<String, Object>) SigmaYaml.loadOne(yaml), "mr_test.yml");
    }

    @Test
    void eventCountFromTheSpec() throws Exception {
        CorrelationRule rule = parse("""
                title: Many failed logins
                id: 0e95725d-7320-415d-80f7-004da920fc11
                correlation:
                    type: event_count
                    rules:
                        - 5638f7c0-ac70-491d-8465-2a65075e0d86
                    group-by:
                        - ComputerName
                    timespan: 1h
                    condition:
                        gte: 100
                """);
        assertThat(rule.id()).isEqualTo("0e95725d-7320-415d-80f7-004da920fc11");
        assertThat(rule.title()).isEqualTo("Many failed logins");
        assertThat(rule.type()).isEqualTo(CorrelationRule.Type.EVENT_COUNT);
        assertThat(rule.rules()).containsExactly("5638f7c0-ac70-491d-8465-2a65075e0d86");
        assertThat(rule.groupBy()).containsExactly("ComputerName");
        assertThat(rule.timespan()).isEqualTo(Duration.ofHours(1));
        assertThat(rule.condition()).isEqualTo(new CorrelationCondition(List.of(new Comparison(Operator.GTE, 100)), List.of()));
        assertThat(rule.generate()).isFalse();
        assertThat(rule.aliases()).isEmpty();
        assertThat(rule.path()).isEqualTo("mr_test.yml");
    }

    @Test
    void valueCountFromTheSpec() throws Exception {
        CorrelationRule rule = parse("""
                title: Failed login
                id: 0e95725d-7320-415d-80f7-004da920fc12
                correlation:
                    type: value_count
                    rules:
                        - 5638f7c0-ac70-491d-8465-2a65075e0d86
                    group-by:
                        - ComputerName
                        - WorkstationName
                    timespan: 1d
                    condition:
                        field: User
                        gte: 100
                """);
        assertThat(rule.type()).isEqualTo(CorrelationRule.Type.VALUE_COUNT);
        assertThat(rule.groupBy()).containsExactly("ComputerName", "WorkstationName");
        assertThat(rule.timespan()).isEqualTo(Duration.ofDays(1));
        assertThat(rule.condition()).isEqualTo(new CorrelationCondition(List.of(new Comparison(Operator.GTE, 100)), List.of("User")));
        assertThat(rule.condition()).hasToString("gte 100 of User");
    }

    @Test
    void temporalWithAliasesFromTheSpec() throws Exception {
        CorrelationRule rule = parse("""
                title: —
                id: —
                correlation:
                    type: temporal
                    rules:
                        - internal_error
                        - new_network_connection
                    group-by:
                        - internal_ip
                        - remote_ip
                    timespan: 10s
                    aliases:
                        internal_ip:
                            internal_error: destination.ip
                            new_network_connection: source.ip
                        remote_ip:
                            internal_error: source.ip
                            new_network_connection: destination.ip
                """);
        assertThat(rule.type()).isEqualTo(CorrelationRule.Type.TEMPORAL);
        assertThat(rule.timespan()).isEqualTo(Duration.ofSeconds(10));
        assertThat(rule.condition().isEmpty()).isTrue();
        assertThat(rule.aliases()).isEqualTo(Map.of(
                "internal_ip", Map.of("internal_error", "destination.ip", "new_network_connection", "source.ip"),
                "remote_ip", Map.of("internal_error", "source.ip", "new_network_connection", "destination.ip")));
    }

    @Test
    void everySchemaExampleOfTheSpecParses() throws Exception {
        java.nio.file.Path dir = SharedData.path("data/sigma-spec/tests/schema/correlation");
        try (var files = Files.list(dir)) {
            List<java.nio.file.Path> examples = files.sorted().toList();
            assertThat(examples).hasSize(8);
            for (java.nio.file.Path example : examples) {
                CorrelationRule rule = parse(Files.readString(example));
                assertThat(rule.type().name().toLowerCase())
                        .as(example.toString())
                        .isEqualTo(example.getFileName().toString().replace(".yml", "").replace("_ecs", ""));
            }
        }
    }

    @Test
    void metricTypesNeedAField() throws Exception {
        CorrelationRule rule = parse("""
                title: Possible Exfiltration to Website
                correlation:
                    type: value_sum
                    rules:
                        - website_access
                    group-by: [SourceIP, User]
                    timespan: 1h
                    condition:
                        field: bytes_sent
                        gt: 1000000
                    generate: true
                """);
        assertThat(rule.type()).isEqualTo(CorrelationRule.Type.VALUE_SUM);
        assertThat(rule.generate()).isTrue();
        assertThat(rule.condition().comparisons()).containsExactly(new Comparison(Operator.GT, 1000000));
    }

    /** Every form is DurationsTest's; here, that a timespan is read with it. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "30s; PT30S", "5m; PT5M", "1h; PT1H", "1d; PT24H", "90m; PT1H30M", "500ms; PT0.5S"
    })
    void timespans(String text, String duration) throws Exception {
        CorrelationRule rule = parse("title: t\ncorrelation: {type: temporal, rules: [a, b], timespan: " + text + "}\n");
        assertThat(rule.timespan()).isEqualTo(Duration.parse(duration));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "type: count_events; correlation.type 'count_events' is unknown",
            "timespan: 1 hour; correlation.timespan '1 hour' is not a duration (a whole number and a unit: ms, s, m, h or d",
            "timespan: 0m; correlation.timespan '0m' must be longer than zero",
            "timespan: 5M; correlation.timespan '5M' is not a duration",
            "timespan: ''; missing correlation.timespan",
            "rules: []; missing correlation.rules",
            "rules: [a, a]; correlation.rules lists a rule twice: [a, a]",
            "group-by: [User, User]; correlation.group-by lists a field twice: [User, User]",
            "group-by: {User: 1}; correlation.group-by must be a list of strings, not a map",
            "condition: {gte: many}; correlation.condition.gte must be a number, not the string 'many'",
            "condition: {above: 3}; correlation.condition has unknown operator 'above'",
            "condition: {field: x, gte: 3}; correlation.condition.field is not allowed for event_count",
            "condition: {field: x}; correlation.condition has no comparison",
            "aliases: {ip: {c: source.ip}}; correlation.aliases.ip maps rule 'c', which is not in correlation.rules or correlation.until [a, b]",
            "aliases: {ip: source.ip}; correlation.aliases.ip must be a map",
            "suppress: soon; correlation.suppress",
            "suppress: 0s; correlation.suppress",
            "condition: {gte: 3, percentile: 50}; correlation.condition has unknown operator 'percentile'",
    })
    void invalidCorrelationsAreRejectedWithTheConstruct(String change, String problem) {
        Map<String, String> parts = new LinkedHashMap<>(Map.of(
                "type", "event_count", "rules", "[a, b]", "timespan", "5m", "condition", "{gte: 3}"));
        String[] keyValue = change.split(": ", 2);
        parts.put(keyValue[0], keyValue[1]);
        StringBuilder yaml = new StringBuilder("title: t\ncorrelation:\n");
        parts.forEach((key, value) -> yaml.append("    ").append(key).append(": ").append(value).append('\n'));
        assertThatThrownBy(() -> parse(yaml.toString())).hasMessageStartingWith(problem);
    }

    @Test
    void suppressionIsAWindowAndPercentileAConditionKey() throws Exception {
        CorrelationRule rule = parse("""
                title: t
                correlation:
                    type: value_percentile
                    rules: [a]
                    group-by: [Computer]
                    timespan: 1h
                    suppress: 30m
                    condition: {field: DestinationPort, percentile: 95, gte: 1024}
                """);
        assertThat(rule.suppress()).isEqualTo(Duration.ofMinutes(30));
        assertThat(rule.condition().percentile()).isEqualTo(95.0);
        assertThat(parse("title: t\ncorrelation: {type: value_median, rules: [a], timespan: 1h,"
                + " condition: {field: X, gt: 1}}\n").condition().percentile()).isEqualTo(50.0);
        assertThatThrownBy(() -> parse("title: t\ncorrelation: {type: value_percentile, rules: [a], timespan: 1h,"
                + " condition: {field: X, percentile: 101, gt: 1}}\n"))
                .hasMessage("correlation.condition.percentile must be a number from 0 to 100, not the integer '101'");
    }

    @Test
    void missingPartsAreRejected() {
        assertThatThrownBy(() -> parse("title: t\ncorrelation:\n  rules: [a]\n  timespan: 5m\n"))
                .hasMessage("missing correlation.type");
        assertThatThrownBy(() -> parse("title: t\ncorrelation:\n  type: temporal\n  rules: [a]\n"))
                .hasMessage("missing correlation.timespan");
        assertThatThrownBy(() -> parse("title: t\ncorrelation:\n  type: value_count\n  rules: [a]\n  timespan: 1m\n"
                + "  condition: {gte: 2}\n"))
                .hasMessage("correlation.condition.field is required for value_count");
        assertThatThrownBy(() -> parse("title: t\ncorrelation:\n  type: event_count\n  rules: [a]\n  timespan: 1m\n"))
                .hasMessage("missing correlation.condition (required for event_count)");
    }

    @Test
    void referencesAreResolvedOverThePackIncludingChains() {
        RulePack pack = new RuleLoader(MatchContext.empty()).load(List.of(new RuleSource("chain.yml", """
                title: outer
                id: outer-id
                correlation:
                    type: temporal_ordered
                    rules: [inner]
                    timespan: 10m
                ---
                title: inner
                name: inner
                correlation:
                    type: event_count
                    rules: [also_missing]
                    timespan: 10m
                    condition: {gte: 10}
                ---
                title: loop a
                name: loop_a
                correlation: {type: temporal, rules: [loop_b], timespan: 1m}
                ---
                title: loop b
                name: loop_b
                correlation: {type: temporal, rules: [loop_a], timespan: 1m}
                """)));
        assertThat(pack.correlations()).isEmpty();
        assertThat(pack.errors()).extracting(RuleError::reason).containsExactlyInAnyOrder(
                "references rule 'inner' which is not in the rule pack (that rule was rejected)",
                "references rule 'also_missing' which is not in the rule pack",
                "correlation chain loops back to itself",
                "correlation chain loops back to itself");
        assertThat(pack.errors()).extracting(RuleError::id).contains("outer-id");
    }
}
