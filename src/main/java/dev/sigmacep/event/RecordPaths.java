package dev.sigmacep.event;

import dev.sigmacep.field.InternedNames;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the formats of a mapping file read a JSON record: the locations of their paths, as a tree of member names
 * rooted at the record. While it streams through a record, {@link RecordReader} keeps what it meets at these
 * locations and skips everything else.
 *
 * <p>A path has one location per way it can be spelt: {@code process.parent.pid} is the members process, parent,
 * pid, but a flattened record may have {@code "process.parent"} then {@code pid}, {@code process} then
 * {@code "parent.pid"}, or {@code "process.parent.pid"}. The path lists its locations in the order the tree decoder
 * looked them up (depth first; at each level the single name before ever longer dotted names), so the first one
 * present in a record is the one the tree decoder found.
 *
 * <p>Built while the mapping file loads, and not changed after.
 */
final class RecordPaths {
    static final int ROOT = 0;

    /** Roles of a location, beyond giving a value. */
    static final int VALUE = 0;
    /** An event time: an object or array there is quoted in the dead letter's reason, so its text span is kept. */
    static final int TIME = 1;
    /** Compared with a value, which an array holds when one of its elements does: an array's elements are kept. */
    static final int MATCHED = 2;
    /** Event data: the scalar members of an object there become event fields. */
    static final int EVENT_DATA = 4;
    /** The {@code *} segment: the value of the object's only member, whatever its name (UserData's element). */
    static final int ONLY_MEMBER = 8;

    static final String ONLY_MEMBER_SEGMENT = "*";

    private Node[] nodes = {new Node(-1)};
    private int size = 1;

    /** Registers a JSON path read for {@code role}. */
    SourcePath path(String text, int role) {
        String[] segments = text.equals(".") ? new String[0] : text.split("\\.");
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals(ONLY_MEMBER_SEGMENT) && (role != EVENT_DATA || i != segments.length - 1 || i == 0)) {
                throw new IllegalArgumentException("path " + text + ": '*' can only end an event-data path");
            }
        }
        List<Integer> locations = new ArrayList<>();
        spell(segments, 0, ROOT, locations);
        for (int location : locations) nodes[location].roles |= role;
        return new SourcePath(text, locations.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Registers an event-data path; its members named in {@code drop} are not copied. */
    SourcePath eventData(String text, NameSet drop) {
        SourcePath path = path(text, EVENT_DATA);
        for (int location : path.locations()) {
            Node node = nodes[location];
            // skipped while reading only when every format that reads this object drops it
            if (node.dropped == null) {
                node.dropped = drop;
            } else {
                Set<String> both = new HashSet<>(node.dropped.names());
                both.retainAll(drop.names());
                node.dropped = new NameSet(both);
            }
        }
        return path;
    }

    private void spell(String[] segments, int from, int node, List<Integer> locations) {
        if (from == segments.length) {
            locations.add(node);
            return;
        }
        int end = segments.length;
        if (segments[end - 1].equals(ONLY_MEMBER_SEGMENT)) {
            if (from == end - 1) {
                locations.add(onlyMemberOrNew(node, String.join(".", segments)));
                return;
            }
            end--; // '*' is never part of a dotted member name
        }
        StringBuilder name = new StringBuilder();
        for (int to = from; to < end; to++) {
            if (to > from) name.append('.');
            name.append(segments[to]);
            spell(segments, to + 1, childOrNew(node, name.toString()), locations);
        }
    }

    private int childOrNew(int parent, String name) {
        if (nodes[parent].onlyMember >= 0) throw besideOnlyMember("member " + name);
        int child = child(parent, name);
        if (child >= 0) return child;
        int node = newNode(parent);
        nodes[parent].add(name.intern(), node); // Jackson interns member names, so they are found by identity
        return node;
    }

    /** The {@code *} child of {@code parent}: a member is either named or the only one, never both. */
    private int onlyMemberOrNew(int parent, String path) {
        Node node = nodes[parent];
        if (node.onlyMember >= 0) return node.onlyMember;
        if (node.children.length > 0) throw besideOnlyMember("path " + path);
        node.onlyMember = newNode(parent);
        node.children = new int[] {node.onlyMember};
        nodes[node.onlyMember].roles = ONLY_MEMBER;
        return node.onlyMember;
    }

    private static IllegalArgumentException besideOnlyMember(String where) {
        return new IllegalArgumentException(where + ": an object read as '*' cannot also be read by member names");
    }

    private int newNode(int parent) {
        if (size == nodes.length) nodes = Arrays.copyOf(nodes, size * 2);
        nodes[size] = new Node(parent);
        return size++;
    }

    /** How many locations there are; they are numbered from 0 ({@link #ROOT}). */
    int size() {
        return size;
    }

    /**
     * The location of member {@code name} of an object at {@code node}, or -1 when no format reads it; an object
     * read as {@code *} answers its one child for every name ({@link #ONLY_MEMBER}).
     */
    int child(int node, String name) {
        return nodes[node].child(name);
    }

    boolean has(int node, int role) {
        return (nodes[node].roles & role) != 0;
    }

    /** Whether member {@code name} of an event-data object at {@code node} may become a field. */
    boolean copies(int node, String name) {
        return !nodes[node].dropped.contains(name);
    }

    /** The members not kept while reading an event-data object at {@code node}. */
    NameSet dropped(int node) {
        return nodes[node].dropped;
    }

    int parent(int node) {
        return nodes[node].parent;
    }

    int[] children(int node) {
        return nodes[node].children;
    }

    private static final class Node {
        final int parent;
        int roles;
        NameSet dropped;
        /** The {@code *} child, or -1; then there are no named children. */
        int onlyMember = -1;
        int[] children = {};
        private String[] childNames = {};
        /** Children by name: an {@link InternedNames} table, filled at most half, or empty. */
        private String[] table = {};
        private int[] tableIds = {};
        private int shift;

        Node(int parent) {
            this.parent = parent;
        }

        int child(String name) {
            if (table.length == 0) return onlyMember;
            int slot = InternedNames.find(table, shift, name);
            return slot < 0 ? -1 : tableIds[slot];
        }

        void add(String name, int id) {
            int n = children.length + 1;
            children = Arrays.copyOf(children, n);
            childNames = Arrays.copyOf(childNames, n);
            children[n - 1] = id;
            childNames[n - 1] = name;
            int capacity = Integer.highestOneBit(n) * 4;
            table = new String[capacity];
            tableIds = new int[capacity];
            shift = InternedNames.shift(capacity);
            for (int i = 0; i < n; i++) tableIds[InternedNames.add(table, shift, childNames[i])] = children[i];
        }
    }
}
