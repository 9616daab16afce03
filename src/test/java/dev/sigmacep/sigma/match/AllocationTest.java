package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.FieldSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The common matching paths allocate nothing per event (measured with the JVM's per-thread allocation counter). */
class AllocationTest {
    private static final int CALLS = 20_000;

    static Stream<Arguments> commonPaths() {
        FieldSource event = TestEvent.of("Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                "CommandLine", "powershell.exe -NoProfile -ExecutionPolicy Bypass -EncodedCommand SQBFAFgA",
                "EventID", 1L, "Tags", List.of("a", "b"), "DestinationIp", "fe80::1c2d:3e4f:5a6b:7c8d");
        return Stream.of(
                Arguments.of("Image|endswith", List.of("\\powershell.exe", "\\pwsh.exe"), event),
                Arguments.of("CommandLine|contains|all", List.of("-nop", "bypass"), event),
                Arguments.of("CommandLine|contains|windash", List.of(" -enc", " -ec "), event),
                Arguments.of("Image|startswith", "C:\\Windows\\*\\WindowsPowerShell\\", event),
                Arguments.of("Image", "c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe", event),
                Arguments.of("EventID", List.of(1, 4688), event),
                Arguments.of("Tags", "b", event),
                Arguments.of("DestinationIp|cidr", List.of("10.0.0.0/8", "fe80::/10"), event),
                Arguments.of("CommandLine|cased", "x", event),
                Arguments.of("ParentImage", null, event),
                Arguments.of("ParentImage|exists", false, event));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @MethodSource("commonPaths")
    void matchingAllocatesNothing(String fieldSpec, Object value, FieldSource event) throws Exception {
        EventPredicate predicate = TestEvent.compile(fieldSpec, value);
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)) {
            assumeTrue(false, "no per-thread allocation counter on this JVM");
            return;
        }
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < CALLS; i++) { // warm up: class loading and JIT compilation may allocate
            predicate.test(event);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        boolean last = false;
        for (int i = 0; i < CALLS; i++) {
            last ^= predicate.test(event);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).as("bytes allocated by %d calls (last result %s)", CALLS, last).isLessThan(CALLS);
    }
}
