package dev.sigmacep.event;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ValueInternerTest {

    @Test
    void hashOfCharsIsStringsHashAtEveryLength() {
        Random random = new Random(7);
        for (int length = 0; length < 70; length++) {
            char[] chars = new char[length + 6];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) (i % 3 == 0 ? random.nextInt(0x10000) : 'a' + random.nextInt(26));
            }
            assertThat(ValueInterner.hash(chars, 3, length)).isEqualTo(new String(chars, 3, length).hashCode());
        }
    }

    @Test
    void aValueFromCharsIsTheKnownStringWhenTheSameCharsComeAgain() {
        ValueInterner interner = new ValueInterner();
        char[] buffer = "xxC:\\Windows\\System32\\wermgr.exexx".toCharArray();
        String first = interner.intern(buffer, 2, buffer.length - 4);
        assertThat(first).isEqualTo("C:\\Windows\\System32\\wermgr.exe");
        assertThat(interner.intern(buffer.clone(), 2, buffer.length - 4)).isSameAs(first);
        assertThat(interner.intern(new String(first.toCharArray()))).isSameAs(first);

        char[] tooLong = "y".repeat(ValueInterner.MAX_CHARS + 1).toCharArray();
        assertThat(interner.intern(tooLong, 0, tooLong.length)).isNotSameAs(interner.intern(tooLong, 0, tooLong.length));
    }

    @Test
    void valuesWithTheSameHashAreToldApartByTheirChars() {
        ValueInterner interner = new ValueInterner();
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        String aa = interner.intern("Aa".toCharArray(), 0, 2);
        assertThat(interner.intern("BB".toCharArray(), 0, 2)).isEqualTo("BB");
        assertThat(interner.intern("BB")).isEqualTo("BB");
        assertThat(interner.intern("xAax".toCharArray(), 1, 2)).isEqualTo("Aa").isNotSameAs(aa); // "BB" took the slot
        assertThat(interner.intern("Aa".toCharArray(), 0, 1)).isEqualTo("A");
    }
}
