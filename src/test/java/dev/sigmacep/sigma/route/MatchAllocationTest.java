package dev.sigmacep.sigma.route;

import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.testing.TestEvent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing and the condition tree allocate nothing per event (the Flink operator runs this per record). */
class MatchAllocationTest {
    private static final int CALLS = 20_000;

    private static final class Counter implements IntConsumer {
        int matches;

        @Override
        public void accept(int index) {
            matches++;
        }
    }

    @Test
    void matchingAllocatesNothing() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            Assumptions.abort("thread allocation counting is not available on this JVM");
            return;
        }
        RulePack rules = new RuleLoader(MatchContext.empty()).load(List.of(new RuleSource("r.yml", """
                title: wermgr child
                logsource: {product: windows, category: process_creation}
                detection:
                    selection:
                        ParentImage|endswith: '\\wermgr.exe'
                        Image|endswith: ['\\cmd.exe', '\\rundll32.exe']
                    filter_main:
                        Image|endswith: '\\rundll32.exe'
                        CommandLine|contains|all: ['WerConCpl.dll', 'LaunchErcApp ']
                    filter_other:
                        User: SYSTEM
                    condition: selection and not 1 of filter_* or (selection and filter_other)
                ---
                title: security
                logsource: {product: windows, service: security}
                detection: {sel: {EventID: 4625}, condition: sel}
                """)));
        assertThat(rules.errors()).isEmpty();
        CompiledRulePack pack = CompiledRulePack.compile(rules.compiled());
        TestEvent event = TestEvent.of("Channel", "Microsoft-Windows-Sysmon/Operational", "EventID", 1,
                "ParentImage", "C:\\Windows\\System32\\wermgr.exe", "Image", "C:\\Windows\\System32\\cmd.exe",
                "CommandLine", "cmd.exe /c whoami", "User", "bob");
        Counter counter = new Counter();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < CALLS; i++) { // warm up: class loading and JIT compilation may allocate
            pack.match(event, counter);
        }
        counter.matches = 0;
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < CALLS; i++) {
            pack.match(event, counter);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(counter.matches).isEqualTo(CALLS);
        assertThat(allocated).as("bytes allocated by %d matches", CALLS).isLessThan(CALLS);
    }
}
