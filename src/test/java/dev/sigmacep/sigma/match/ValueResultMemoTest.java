package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A remembered result is only ever the result of that very String; equal copies are tested afresh. */
class ValueResultMemoTest {

    @Test
    void remembersByIdentity() {
        ValueResultMemo memo = new ValueResultMemo();
        String value = "C:\\Windows\\System32\\ntdll.dll";
        assertThat(memo.lookup(value)).isEqualTo(-1);
        assertThat(memo.remember(value, true)).isTrue();
        assertThat(memo.lookup(value)).isEqualTo(1);
        assertThat(memo.lookup(new String(value))).isEqualTo(-1);

        String other = "C:\\Temp\\evil.dll";
        memo.remember(other, false);
        assertThat(memo.lookup(other)).isZero();
    }

    @Test
    void longValuesAreNotRemembered() {
        ValueResultMemo memo = new ValueResultMemo();
        String value = "x".repeat(ValueResultMemo.MAX_CHARS + 1);
        memo.remember(value, true);
        assertThat(memo.lookup(value)).isEqualTo(-1);
    }

    /** Threads share a compiled entry, as they share a compiled pack; each answer must be the value's own. */
    @Test
    void threadsSharingAnEntryGetEachValuesOwnResult() throws Exception {
        EventPredicate entry = TestEvent.compile("Image|contains", List.of("\\temp\\", "\\downloads\\"));
        Random random = new Random(3);
        List<String> values = new ArrayList<>();
        List<Boolean> truth = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) { // more values than slots: collisions and evictions all the time
            boolean suspicious = random.nextBoolean();
            values.add("C:\\Users\\u" + i + (suspicious ? "\\Temp\\" : "\\Documents\\") + "a.exe");
            truth.add(suspicious);
        }
        assertThat(TestEvent.mistakesOfThreadsSharing(entry, "Image", values, truth, 200_000)).isZero();
    }
}
