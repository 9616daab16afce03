package dev.sigmacep.correlate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The inputs of all keys of an operator that wait for the watermark, in the order they are due: by time, then by
 * arrival. Inputs mostly arrive in time order, so those that do are appended to a queue (constant time) and only
 * the others go to a heap; taking merges the two.
 */
final class PendingInputs {
    /** One input waiting: its key, its time, the input (null: it is in the keyed state, under key and time). */
    static final class Pending {
        final String key;
        final long millis;
        final CorrelationEvent input;
        private final long arrival;
        /** The keyed state holds it too (written at a snapshot, restored, or kept there from the start). */
        boolean stored;

        Pending(String key, long millis, CorrelationEvent input, long arrival, boolean stored) {
            this.key = key;
            this.millis = millis;
            this.input = input;
            this.arrival = arrival;
            this.stored = stored;
        }
    }

    private static final Comparator<Pending> DUE_ORDER =
            Comparator.<Pending>comparingLong(pending -> pending.millis).thenComparingLong(pending -> pending.arrival);

    private final ArrayDeque<Pending> inTimeOrder = new ArrayDeque<>();
    private final PriorityQueue<Pending> outOfOrder = new PriorityQueue<>(DUE_ORDER);
    private long arrivals;

    /** @param input null when the keyed state holds the inputs of this key and time */
    Pending add(String key, long millis, CorrelationEvent input, boolean stored) {
        Pending pending = new Pending(key, millis, input, arrivals++, stored);
        Pending last = inTimeOrder.peekLast();
        if (last == null || millis >= last.millis) {
            inTimeOrder.addLast(pending);
        } else {
            outOfOrder.add(pending);
        }
        return pending;
    }

    int size() {
        return inTimeOrder.size() + outOfOrder.size();
    }

    /** Removes the inputs at or before {@code time} and returns them in the order they are due. */
    List<Pending> takeUpTo(long time) {
        List<Pending> due = new ArrayList<>();
        while (true) {
            Pending first = inTimeOrder.peekFirst();
            Pending other = outOfOrder.peek();
            Pending next = first == null ? other
                    : other == null || DUE_ORDER.compare(first, other) < 0 ? first : other;
            if (next == null || next.millis > time) {
                return due;
            }
            due.add(next == first ? inTimeOrder.pollFirst() : outOfOrder.poll());
        }
    }

    /** The inputs waiting that the keyed state does not hold yet, in no particular order. */
    List<Pending> unstored() {
        List<Pending> unstored = new ArrayList<>();
        for (Pending pending : inTimeOrder) {
            if (!pending.stored) {
                unstored.add(pending);
            }
        }
        for (Pending pending : outOfOrder) {
            if (!pending.stored) {
                unstored.add(pending);
            }
        }
        return unstored;
    }
}
