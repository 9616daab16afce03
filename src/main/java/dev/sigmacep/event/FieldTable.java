package dev.sigmacep.event;

import dev.sigmacep.field.InternedNames;

import java.util.Arrays;

/**
 * The fields of the event being decoded, while its mapping replaces and removes some: an {@link InternedNames}
 * table reused from record to record, then copied into the event's own table, sized for its fields. A removed
 * field keeps its name with a null value, so that the names after it stay reachable.
 */
final class FieldTable {
    private static final int CAPACITY = 128;

    private String[] names = new String[CAPACITY];
    private Object[] values = new Object[CAPACITY];
    private int shift = InternedNames.shift(CAPACITY);
    /** The slots in use, so that clearing touches only those. */
    private int[] used = new int[CAPACITY];
    private int slots;

    Object get(String name) {
        int slot = InternedNames.find(names, shift, name);
        return slot < 0 ? null : values[slot];
    }

    void put(String name, Object value) {
        int slot = InternedNames.findOrFree(names, shift, name);
        if (slot < 0) {
            if ((slots + 1) * 4 > names.length * 3) { // load below 3/4
                grow();
                slot = InternedNames.findOrFree(names, shift, name);
            }
            slot = -1 - slot;
            names[slot] = name;
            used[slots++] = slot;
        }
        values[slot] = value;
    }

    void putIfAbsent(String name, Object value) {
        if (get(name) == null) put(name, value);
    }

    void remove(String name) {
        int slot = InternedNames.find(names, shift, name);
        if (slot >= 0) values[slot] = null;
    }

    void clear() {
        if (names.length > 8 * CAPACITY) { // a huge record does not keep its table
            names = new String[CAPACITY];
            values = new Object[CAPACITY];
            shift = InternedNames.shift(CAPACITY);
            used = new int[CAPACITY];
        } else {
            for (int i = 0; i < slots; i++) {
                names[used[i]] = null;
                values[used[i]] = null;
            }
        }
        slots = 0;
    }

    /** The event with these fields; removed ones are left out. */
    Event toEvent(String host, long timeMicros, String format, String raw) {
        int live = 0;
        for (int i = 0; i < slots; i++) {
            if (values[used[i]] != null) live++;
        }
        int capacity = Event.capacity(live);
        String[] eventNames = new String[capacity];
        Object[] eventValues = new Object[capacity];
        int eventShift = InternedNames.shift(capacity);
        for (int i = 0; i < slots; i++) {
            Object value = values[used[i]];
            if (value != null) eventValues[InternedNames.add(eventNames, eventShift, names[used[i]])] = value;
        }
        return new Event(eventNames, eventValues, host, timeMicros, format, raw);
    }

    private void grow() {
        String[] oldNames = names;
        Object[] oldValues = values;
        int[] oldUsed = used;
        int oldSlots = slots;
        names = new String[oldNames.length * 2];
        values = new Object[oldNames.length * 2];
        shift = InternedNames.shift(names.length);
        used = Arrays.copyOf(used, names.length);
        slots = 0;
        for (int i = 0; i < oldSlots; i++) {
            int slot = InternedNames.add(names, shift, oldNames[oldUsed[i]]);
            values[slot] = oldValues[oldUsed[i]];
            used[slots++] = slot;
        }
    }
}
