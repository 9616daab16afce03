package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.FieldSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Compiled predicates travel to Flink operators by Java serialization and still match the same way. */
class PredicateSerializationTest {

    static Stream<Arguments> predicates() {
        return Stream.of(
                Arguments.of("Image|endswith", "\\cmd.exe", TestEvent.of("Image", "C:\\x\\CMD.exe")),
                Arguments.of("CommandLine|contains|all|windash", List.of("-enc", "-nop"), TestEvent.of("CommandLine", "/nop /enc x")),
                Arguments.of("CommandLine|wide|base64offset|contains", "ping", TestEvent.of("CommandLine", "cABpAG4AZw")),
                Arguments.of("CommandLine|re|i", "^POWERSHELL", TestEvent.of("CommandLine", "powershell -x")),
                Arguments.of("DestinationIp|cidr", List.of("10.0.0.0/8", "fe80::/10"), TestEvent.of("DestinationIp", "fe80::1")),
                Arguments.of("Count|gte", 10, TestEvent.of("Count", 12L)),
                Arguments.of("UtcTime|hour", 8, TestEvent.of("UtcTime", "2024-05-17 08:00:00.000")),
                Arguments.of("User|fieldref|neq", "ParentUser", TestEvent.of("User", "a", "ParentUser", "b")),
                Arguments.of("User|exists", true, TestEvent.of("User", "a")),
                Arguments.of("User", null, TestEvent.of("Image", "a")),
                Arguments.of("", List.of("mimikatz", "sekurlsa"), TestEvent.of("CommandLine", "x sekurlsa::logonpasswords")));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @MethodSource("predicates")
    void survivesJavaSerialization(String fieldSpec, Object value, FieldSource matchingEvent) throws Exception {
        EventPredicate original = TestEvent.compile(fieldSpec, value);
        EventPredicate copy = roundTrip(original);
        assertThat(original.test(matchingEvent)).isTrue();
        assertThat(copy.test(matchingEvent)).isTrue();
        assertThat(copy.test(TestEvent.of("Other", "nothing"))).isEqualTo(original.test(TestEvent.of("Other", "nothing")));
    }

    private static EventPredicate roundTrip(EventPredicate predicate) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(predicate);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (EventPredicate) in.readObject();
        }
    }
}
