package dev.sigmacep.event;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonLinesTest {

    private static List<String> lines(byte[] file, long start, long end, int max) throws IOException {
        long position = start == 0 ? 0 : start - 1;
        ByteArrayInputStream in = new ByteArrayInputStream(file, (int) position, file.length - (int) position);
        JsonLines lines = new JsonLines(in, position, start, end, max);
        List<String> out = new ArrayList<>();
        while (lines.next()) {
            String text = new String(lines.bytes(), lines.offset(), lines.length(), StandardCharsets.UTF_8);
            // what was kept of a line is the file's bytes from where the line starts
            assertThat(new String(file, (int) lines.lineStart(), lines.length(), StandardCharsets.UTF_8)).isEqualTo(text);
            out.add(lines.truncated() ? "CUT(" + lines.lineBytes() + "):" + text : text);
        }
        return out;
    }

    private static List<String> lines(String file) throws IOException {
        byte[] bytes = file.getBytes(StandardCharsets.UTF_8);
        return lines(bytes, 0, bytes.length, 1 << 20);
    }

    @Test
    void everyLineIsARecordEvenWhenItNeverCloses() throws IOException {
        // an unterminated object does not swallow the lines after it
        assertThat(lines("{\"a\":1}\n{\"b\":\nnot json\n}\n{\"c\":3}"))
                .containsExactly("{\"a\":1}", "{\"b\":", "not json", "}", "{\"c\":3}");
    }

    @Test
    void blankLinesCarriageReturnsAndTheByteOrderMarkAreNotRecords() throws IOException {
        assertThat(lines("\uFEFF{\"a\":1}\r\n\r\n   \n\t\n{\"b\":2}\r\n")).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(lines("")).isEmpty();
        assertThat(lines("\n\n")).isEmpty();
    }

    @Test
    void aLongLineIsCutButReadToItsEnd() throws IOException {
        String longLine = "x".repeat(200_000);
        byte[] file = ("{\"a\":1}\n" + longLine + "\n{\"b\":2}\n").getBytes(StandardCharsets.UTF_8);
        assertThat(lines(file, 0, file.length, 1000))
                .containsExactly("{\"a\":1}", "CUT(200000):" + "x".repeat(1000), "{\"b\":2}");
        // under the limit, a line longer than the read buffer comes back whole
        assertThat(lines(file, 0, file.length, 300_000)).containsExactly("{\"a\":1}", longLine, "{\"b\":2}");
    }

    @Test
    void rangesTogetherReadEveryLineExactlyOnceWhereverTheyAreCut() throws IOException {
        Random random = new Random(5);
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String line = "{\"n\":" + i + ",\"pad\":\"" + "é".repeat(random.nextInt(40)) + "x".repeat(random.nextInt(120_000) < 50 ? 70_000 : random.nextInt(30)) + "\"}";
            expected.add(line);
            text.append(line).append(random.nextInt(10) == 0 ? "\r\n" : "\n");
            if (random.nextInt(20) == 0) text.append("\n");
        }
        byte[] file = text.toString().getBytes(StandardCharsets.UTF_8);
        for (int rangeBytes : new int[] {97, 4096, 65_536, 65_537, 1 << 20, file.length}) {
            List<String> all = new ArrayList<>();
            for (long start = 0; start < file.length; start += rangeBytes) {
                all.addAll(lines(file, start, Math.min(file.length, start + rangeBytes), 1 << 20));
            }
            assertThat(all).as("ranges of %d bytes", rangeBytes).isEqualTo(expected);
        }
    }

    @Test
    void theStreamMustStartAtTheRangeOrOneByteBefore() {
        assertThatThrownBy(() -> new JsonLines(new ByteArrayInputStream(new byte[10]), 0, 5, 10, 100))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
