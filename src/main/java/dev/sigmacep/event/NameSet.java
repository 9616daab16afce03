package dev.sigmacep.event;

import dev.sigmacep.field.InternedNames;

import java.util.Collection;
import java.util.Set;

/**
 * A fixed set of member names, asked about every member of an event-data object: an {@link InternedNames} table,
 * so that a name Jackson has interned is found by identity, cheaper than a {@code Set}.
 */
final class NameSet {
    private final Set<String> names;
    private final String[] table;
    private final int shift;

    NameSet(Collection<String> names) {
        this.names = Set.copyOf(names);
        int capacity = Integer.highestOneBit(Math.max(1, this.names.size()) * 2) * 2; // at most half full
        this.table = new String[capacity];
        this.shift = InternedNames.shift(capacity);
        for (String name : this.names) InternedNames.add(table, shift, name.intern());
    }

    boolean contains(String name) {
        return InternedNames.find(table, shift, name) >= 0;
    }

    Set<String> names() {
        return names;
    }
}
