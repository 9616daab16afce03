package dev.sigmacep.sigma.route;

import dev.sigmacep.field.FieldSource;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.testing.TestEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A rule that throws on an event (a bug) costs only that rule on that event, and is reported with its index. */
class RuleFailuresTest {
    private static final CompiledRulePack PACK = pack(
            rule("image", "Image|endswith: '\\\\cmd.exe'"),
            rule("command-line", "CommandLine|contains: whoami"),
            rule("user", "User|startswith: NT AUTHORITY"));

    private static String rule(String id, String selection) {
        return "title: " + id + "\nid: " + id + "\nlogsource: {product: windows, category: process_creation}\n"
                + "detection:\n    sel:\n        " + selection + "\n    condition: sel\n";
    }

    private static CompiledRulePack pack(String... rules) {
        List<RuleSource> sources = new ArrayList<>();
        for (String rule : rules) {
            sources.add(new RuleSource("r.yml", rule));
        }
        RulePack pack = new RuleLoader(MatchContext.empty()).load(sources);
        assertThat(pack.errors()).isEmpty();
        return CompiledRulePack.compile(pack.compiled());
    }

    /**
     * An event whose field {@code broken} a rule cannot read: reading it runs {@code fault}, which throws, as if
     * reading it hit a bug. The prefilter, which walks the fields instead, still sees it.
     */
    private record BrokenField(TestEvent event, String broken, Runnable fault) implements FieldSource {
        @Override
        public Object field(String name) {
            if (name.equals(broken)) {
                fault.run();
            }
            return event.field(name);
        }

        @Override
        public Iterable<?> values() {
            return event.values();
        }

        @Override
        public void forEachField(BiConsumer<String, Object> action) {
            event.forEachField(action);
        }
    }

    private static final TestEvent PROCESS = TestEvent.of("Channel", "Microsoft-Windows-Sysmon/Operational",
            "EventID", 1, "Image", "C:\\Windows\\System32\\cmd.exe", "CommandLine", "cmd /c whoami",
            "User", "NT AUTHORITY\\SYSTEM");

    private static FieldSource brokenCommandLine() {
        return new BrokenField(PROCESS, "CommandLine", () -> {
            throw new IllegalStateException("injected bug reading CommandLine");
        });
    }

    @Test
    void theOtherRulesStillMatchAndTheFailureIsReported() {
        List<String> matched = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        PACK.match(brokenCommandLine(), rule -> matched.add(PACK.rule(rule).id()),
                (rule, error) -> failed.add(PACK.rule(rule).id() + ": " + error.getMessage()));
        assertThat(matched).containsExactly("image", "user");
        assertThat(failed).containsExactly("command-line: injected bug reading CommandLine");
    }

    @Test
    void withoutAHandlerTheFailurePropagates() {
        assertThatThrownBy(() -> PACK.match(brokenCommandLine(), rule -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessage("injected bug reading CommandLine");
    }

    @Test
    void aStackOverflowInARuleIsReportedAsAFailureOfThatRule() {
        FieldSource event = new BrokenField(PROCESS, "Image", () -> {
            throw new StackOverflowError();
        });
        List<String> matched = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        PACK.match(event, rule -> matched.add(PACK.rule(rule).id()),
                (rule, error) -> failed.add(PACK.rule(rule).id() + ": " + error.getMessage()));
        assertThat(matched).containsExactly("command-line", "user");
        assertThat(failed).containsExactly("image: stack overflow");
    }
}
