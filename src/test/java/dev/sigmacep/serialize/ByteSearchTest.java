package dev.sigmacep.serialize;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ByteSearchTest {
    @Test
    void findsTheFirstMatchAtAnyPositionAndAlignmentLikeASimpleLoop() {
        Random random = new Random(4);
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            byte value = (byte) (random.nextBoolean() ? '\n' : random.nextInt(256));
            if (bytes.length > 0 && random.nextBoolean()) bytes[random.nextInt(bytes.length)] = value;
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            int expected = -1;
            for (int j = from; j < to && expected < 0; j++) {
                if (bytes[j] == value) expected = j;
            }
            assertThat(ByteSearch.indexOf(bytes, from, to, value)).isEqualTo(expected);
        }
    }

    @Test
    void findsTheFirstOfTwoBytesAtAnyPositionAndAlignmentLikeASimpleLoop() {
        Random random = new Random(5);
        byte[] wanted = {'"', '\n'};
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int j = 0; j < bytes.length; j++) { // mostly bytes that are not wanted, some that are, some >= 0x80
                bytes[j] = random.nextInt(8) == 0 ? wanted[random.nextInt(2)] : (byte) random.nextInt(256);
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            int expected = -1;
            for (int j = from; j < to && expected < 0; j++) {
                if (bytes[j] == '"' || bytes[j] == '\n') expected = j;
            }
            assertThat(ByteSearch.indexOfAny(bytes, from, to, (byte) '"', (byte) '\n')).isEqualTo(expected);
        }
    }

    @Test
    void findsTheFirstMatchInAWordLikeASimpleLoop() {
        Random random = new Random(6);
        for (int i = 0; i < 50_000; i++) {
            byte value = (byte) random.nextInt(256);
            byte[] bytes = new byte[8];
            for (int j = 0; j < 8; j++) bytes[j] = random.nextInt(6) == 0 ? value : (byte) random.nextInt(256);
            int expected = 8;
            for (int j = 7; j >= 0; j--) {
                if (bytes[j] == value) expected = j;
            }
            long word = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat(ByteSearch.firstInWord(word, value)).isEqualTo(expected);
        }
    }
}
