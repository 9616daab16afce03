package dev.sigmacep.detect;

import dev.sigmacep.correlate.CorrelationEvent;
import dev.sigmacep.event.Event;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RuleSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CorrelationRouterTest {
    /** rule_a and rule_b both match any process start; the correlation keys them on different fields. */
    private static final String RULES = """
            title: a
            id: 00000000-0000-0000-0000-00000000000a
            name: rule_a
            logsource: {product: windows, category: process_creation}
            detection: {sel: {Image|endswith: '.exe'}, condition: sel}
            ---
            title: b
            id: 00000000-0000-0000-0000-00000000000b
            name: rule_b
            logsource: {product: windows, category: process_creation}
            detection: {sel: {Image|endswith: '.exe'}, condition: sel}
            ---
            title: c
            id: 00000000-0000-0000-0000-00000000000c
            name: corr
            correlation:
                type: temporal_ordered
                rules: [rule_a, rule_b]
                group-by: [Computer, proc]
                aliases:
                    proc: {rule_a: ProcessGuid, rule_b: %s}
                timespan: 5m
            """;

    private static List<String> route(String ruleBField, Map<String, Object> fields) {
        DetectionModel model = DetectionModel.build(List.of(new RuleSource("r.yml", RULES.formatted(ruleBField))),
                MatchContext.empty());
        assertThat(model.errors()).isEmpty();
        Event event = new Event(fields, "H1", 0, "test", "{}");
        int[] matched = new int[model.compiled().size()];
        int[] count = {0};
        model.compiled().match(event, rule -> matched[count[0]++] = rule);
        List<String> routed = new ArrayList<>();
        int skipped = new CorrelationRouter(model).route(event, matched, count[0],
                (plan, input) -> routed.add(plan + ":" + input.groupValues() + ":" + Integer.toBinaryString(input.roles())));
        routed.add("skipped=" + skipped);
        assertThat(model.standalone(0)).isFalse();
        return routed;
    }

    private static Map<String, Object> processStart() {
        return Map.of("EventID", 1, "Channel", "Microsoft-Windows-Sysmon/Operational", "Computer", "H1",
                "Image", "C:\\x.exe", "ProcessGuid", "{self}", "ParentProcessGuid", "{parent}");
    }

    @Test
    void bothRolesUnderOneKeyBecomeOneInput() {
        assertThat(route("ProcessGuid", processStart())).containsExactly("0:[H1, {self}]:11", "skipped=0");
    }

    @Test
    void rolesUnderDifferentKeysBecomeOneInputEach() {
        assertThat(route("ParentProcessGuid", processStart()))
                .containsExactly("0:[H1, {self}]:1", "0:[H1, {parent}]:10", "skipped=0");
    }

    @Test
    void aMissingGroupByFieldSkipsThatRoleAndIsCounted() {
        Map<String, Object> fields = new java.util.HashMap<>(processStart());
        fields.remove("ParentProcessGuid");
        assertThat(route("ParentProcessGuid", fields)).containsExactly("0:[H1, {self}]:1", "skipped=1");
    }

    @Test
    void correlationInputsHaveValueEqualityAsCepNeeds() {
        Event event = new Event(Map.of(), "H1", 5, "test", "{}");
        CorrelationEvent input = new CorrelationEvent(List.of("k"), 1, event);
        assertThat(input).isEqualTo(new CorrelationEvent(List.of("k"), 1, event))
                .hasSameHashCodeAs(new CorrelationEvent(List.of("k"), 1, event))
                .isNotEqualTo(new CorrelationEvent(List.of("k"), 2, event));
    }
}
