package dev.sigmacep.correlate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Items due at a time, across all keys of an operator, taken in the order they fall due: by time, then by arrival.
 * Items mostly arrive in time order, so those that do are appended to a queue (constant time) and only the others
 * go to a heap; taking merges the two.
 */
final class TimeQueue<T> {
    private record Entry<T>(long millis, long arrival, T item) {
    }

    private static final Comparator<Entry<?>> DUE_ORDER =
            Comparator.<Entry<?>>comparingLong(Entry::millis).thenComparingLong(Entry::arrival);

    private final ArrayDeque<Entry<T>> inTimeOrder = new ArrayDeque<>();
    private final PriorityQueue<Entry<T>> outOfOrder = new PriorityQueue<>(DUE_ORDER);
    private long arrivals;

    void add(long millis, T item) {
        Entry<T> entry = new Entry<>(millis, arrivals++, item);
        Entry<T> last = inTimeOrder.peekLast();
        if (last == null || millis >= last.millis()) {
            inTimeOrder.addLast(entry);
        } else {
            outOfOrder.add(entry);
        }
    }

    int size() {
        return inTimeOrder.size() + outOfOrder.size();
    }

    /** Removes the items due at or before {@code time} and returns them in the order they fall due. */
    List<T> takeUpTo(long time) {
        List<T> due = new ArrayList<>();
        while (true) {
            Entry<T> first = inTimeOrder.peekFirst();
            Entry<T> other = outOfOrder.peek();
            Entry<T> next = first == null ? other
                    : other == null || DUE_ORDER.compare(first, other) < 0 ? first : other;
            if (next == null || next.millis() > time) {
                return due;
            }
            due.add((next == first ? inTimeOrder.pollFirst() : outOfOrder.poll()).item());
        }
    }

    /** Every item in the queue, in the order they fall due; the queue keeps them. */
    List<T> items() {
        List<Entry<T>> others = new ArrayList<>(outOfOrder);
        others.sort(DUE_ORDER);
        List<T> items = new ArrayList<>(size());
        int other = 0;
        for (Entry<T> entry : inTimeOrder) {
            while (other < others.size() && DUE_ORDER.compare(others.get(other), entry) < 0) {
                items.add(others.get(other++).item());
            }
            items.add(entry.item());
        }
        while (other < others.size()) {
            items.add(others.get(other++).item());
        }
        return items;
    }

    void clear() {
        inTimeOrder.clear();
        outOfOrder.clear();
    }
}
