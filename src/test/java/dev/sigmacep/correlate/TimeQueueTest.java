package dev.sigmacep.correlate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Items leave a time queue by time, then by arrival, whatever order they came in. */
class TimeQueueTest {
    @Test
    void takesWhatIsDueInTimeThenArrivalOrder() {
        TimeQueue<String> queue = new TimeQueue<>();
        queue.add(10, "a");
        queue.add(20, "b");
        queue.add(15, "c"); // older than the last one
        queue.add(20, "d");
        queue.add(5, "e");
        queue.add(15, "f");
        assertThat(queue.size()).isEqualTo(6);
        assertThat(queue.takeUpTo(4)).isEmpty();
        assertThat(queue.takeUpTo(15)).containsExactly("e", "a", "c", "f");
        queue.add(12, "g"); // out of order again
        assertThat(queue.items()).containsExactly("g", "b", "d");
        assertThat(queue.takeUpTo(12)).containsExactly("g");
        assertThat(queue.takeUpTo(Long.MAX_VALUE)).containsExactly("b", "d");
        assertThat(queue.size()).isZero();
    }

    @Test
    void agreesWithASortOnRandomArrivals() {
        Random random = new Random(3);
        TimeQueue<Integer> queue = new TimeQueue<>();
        List<long[]> added = new ArrayList<>(); // {time, arrival}
        long now = 0;
        List<Integer> taken = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            now += random.nextInt(3);
            long time = random.nextInt(4) == 0 ? now - random.nextInt(50) : now;
            queue.add(time, i);
            added.add(new long[]{time, i});
            if (i % 100 == 99) {
                long watermark = now - 30;
                List<Integer> waiting = new ArrayList<>();
                added.stream().sorted((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]))
                        .forEach(item -> waiting.add((int) item[1]));
                assertThat(queue.items()).isEqualTo(waiting);
                taken.addAll(queue.takeUpTo(watermark));
                added.stream().filter(item -> item[0] <= watermark)
                        .sorted((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]))
                        .forEach(item -> expected.add((int) item[1]));
                added.removeIf(item -> item[0] <= watermark);
            }
        }
        assertThat(taken).hasSizeGreaterThan(4_000).isEqualTo(expected);
        queue.clear();
        assertThat(queue.size()).isZero();
    }
}
