package dev.sigmacep.detect;

import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.testing.TestEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Issue 11: a pack of 100,000 generated rules (one file each, three logsources) beside the project's rules loads
 * without an error, and events route to and match exactly their rules. Prints the load time and heap for
 * docs/reliability.md; asserts only a generous bound against a hang (about 40 s on a loaded 2-vCPU machine).
 */
@Tag("slow")
class LargeRulePackSlowTest {
    private static final int RULES = 100_000;
    private static final String SYSMON = "Microsoft-Windows-Sysmon/Operational";

    @Test
    void aHundredThousandRulesLoadRouteAndMatch(@TempDir Path dir) throws IOException {
        for (int i = 0; i < RULES; i++) {
            Path folder = dir.resolve(String.format("%03d", i / 1000));
            if (i % 1000 == 0) {
                Files.createDirectories(folder);
            }
            Files.writeString(folder.resolve("rule_" + i + ".yml"), rule(i));
        }
        System.gc();
        resetPeakHeap();
        long usedBefore = usedHeap();
        long start = System.nanoTime();
        DetectionModel model = assertTimeoutPreemptively(Duration.ofMinutes(10), () -> DetectionModel.build(
                RuleLoader.read(List.of(Path.of("rules"), dir)).sources(), MatchContext.empty()));
        long loadMillis = (System.nanoTime() - start) / 1_000_000;
        long peak = peakHeap();
        System.gc();
        long retained = usedHeap() - usedBefore;

        assertThat(model.errors()).isEmpty();
        assertThat(model.pack().rules()).hasSize(RULES + 5); // and rules/: 5 detection rules, 3 correlations
        assertThat(model.plans()).hasSize(3);
        assertThat(model.compiled().unroutedRules()).isEmpty();

        long matchStart = System.nanoTime();
        int checked = 0;
        for (int i = 0; i < RULES; i += 97) {
            List<String> matched = new ArrayList<>();
            model.compiled().match(event(i), rule -> matched.add(model.rule(rule).id()));
            assertThat(matched).as("rule %d", i).containsExactly("generated-" + i);
            checked++;
        }
        long matchMicros = (System.nanoTime() - matchStart) / 1_000 / checked;
        System.out.printf("large rule pack: %,d rules loaded (read, parsed, compiled, routed) in %,d ms; heap retained "
                        + "%,d MB, peak %,d MB (-Xmx%,d MB); %,d events matched, %,d us per event%n",
                model.pack().rules().size(), loadMillis, retained >> 20, peak >> 20,
                Runtime.getRuntime().maxMemory() >> 20, checked, matchMicros);
    }

    /** Rule i: a process start, a network connection or a file creation, each naming a value of its own. */
    private static String rule(int i) {
        String head = "title: generated " + i + "\nid: generated-" + i + "\nlevel: low\n";
        return head + switch (i % 3) {
            case 0 -> "logsource: {product: windows, category: process_creation}\n"
                    + "detection:\n    sel: {CommandLine|contains: 'token-" + i + "-x'}\n    condition: sel\n";
            case 1 -> "logsource: {product: windows, category: network_connection}\n"
                    + "detection:\n    sel: {DestinationHostname|endswith: '.host-" + i + ".example'}\n"
                    + "    condition: sel\n";
            default -> "logsource: {product: windows, category: file_event}\n"
                    + "detection:\n    sel: {TargetFilename|endswith: '\\file-" + i + ".dat'}\n"
                    + "    condition: sel\n";
        };
    }

    /**
     * The Sysmon event rule i matches. It also carries the value of rule i - 1, of another logsource: routing must
     * keep that rule away from it.
     */
    private static TestEvent event(int i) {
        return switch (i % 3) {
            case 0 -> TestEvent.of("Channel", SYSMON, "EventID", 1, "CommandLine", "run token-" + i + "-x now");
            case 1 -> TestEvent.of("Channel", SYSMON, "EventID", 3, "DestinationHostname", "a.host-" + i + ".example",
                    "CommandLine", "run token-" + (i - 1) + "-x now");
            default -> TestEvent.of("Channel", SYSMON, "EventID", 11, "TargetFilename", "C:\\tmp\\file-" + i + ".dat",
                    "DestinationHostname", "a.host-" + (i - 1) + ".example");
        };
    }

    private static long usedHeap() {
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
