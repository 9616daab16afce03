package dev.sigmacep.yaml;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * {@link SafeYaml#loadAll} with its trees kept in a file between runs, by the SHA-256 of each text: parsing the
 * whole SigmaHQ pack (and the JIT compiling the parser meanwhile) is the largest part of its start, and a pack rarely
 * changes between two runs. Reading the trees back costs about a tenth of parsing (docs/benchmarks.md, round 6).
 *
 * <p>Only streams that loaded without a failure are kept. Entries not used by the last {@link #KEPT_SAVES} saves
 * are dropped, so the file follows the packs in use. A missing, stale-format or damaged file (a CRC-32 closes it)
 * is an empty cache; saving writes a new file and moves it into place, so a concurrent reader sees the old file or
 * the new one. Thread-safe: a pack is parsed in parallel.
 */
public final class YamlTreeCache {
    /** {@code -Dsigmacep.rule-cache=FILE}: the file the process's rule loads use (the launcher sets it). */
    public static final String PROPERTY = "sigmacep.rule-cache";
    static final int KEPT_SAVES = 8;
    private static final int MAGIC = 0x53435954; // "SCYT"
    private static final int FORMAT = 1;
    private static final byte NULL = 0, STRING = 1, INTEGER = 2, LONG = 3, DOUBLE = 4, TRUE = 5, FALSE = 6, MAP = 7,
            LIST = 8;
    private static volatile YamlTreeCache configured;

    private final Path file;
    private final int generation;
    private final Map<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger misses = new AtomicInteger();

    private record Entry(List<Object> documents, int lastUsed) {
    }

    private YamlTreeCache(Path file, int generation) {
        this.file = file;
        this.generation = generation;
    }

    /**
     * The cache the {@value #PROPERTY} system property names, opened once per process; null when it is not set (or
     * names no possible file).
     */
    public static YamlTreeCache configured() {
        String path = System.getProperty(PROPERTY);
        if (path == null || path.isBlank()) {
            return null;
        }
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) { // the cache only saves time: a bad name must not stop a rule load
            return null;
        }
        synchronized (YamlTreeCache.class) {
            if (configured == null || !configured.file.equals(file)) {
                configured = open(file);
            }
            return configured;
        }
    }

    /** Reads the file if it is there and whole; else an empty cache that will write it. Never throws. */
    public static YamlTreeCache open(Path file) {
        byte[] bytes;
        try {
            bytes = Files.exists(file) ? Files.readAllBytes(file) : null;
        } catch (IOException | OutOfMemoryError e) {
            bytes = null;
        }
        if (bytes != null) {
            try {
                return read(file, ByteBuffer.wrap(bytes));
            } catch (RuntimeException e) { // damaged or of another format: start afresh
            }
        }
        return new YamlTreeCache(file, 1);
    }

    /** As {@link SafeYaml#loadAll}: the same trees, from the cache when this text was loaded before. */
    public SafeYaml.Documents loadAll(String text) {
        ByteBuffer key = digest(text);
        Entry entry = entries.get(key);
        if (entry != null) {
            hits.incrementAndGet();
            if (entry.lastUsed != generation) {
                entries.put(key, new Entry(entry.documents, generation));
            }
            return new SafeYaml.Documents(new ArrayList<>(entry.documents), null);
        }
        misses.incrementAndGet();
        SafeYaml.Documents loaded = SafeYaml.loadAll(text);
        if (loaded.failure() == null) {
            entries.put(key, new Entry(List.copyOf(loaded.documents()), generation));
        }
        return loaded;
    }

    int hits() { return hits.get(); }

    int misses() { return misses.get(); }

    /**
     * Writes the file when something was parsed since it was read (a load that only hit leaves it alone). A file
     * that cannot be written is left as it was: the cache only saves time.
     */
    public synchronized void save() {
        if (misses.get() == 0) {
            return;
        }
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
            try {
                try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(temporary))) {
                    write(stream);
                }
                try {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            misses.set(0);
        } catch (IOException | RuntimeException e) {
            // a read-only install, a full disk: the next run parses again
        }
    }

    /** The entries kept, closed by the CRC-32 of everything before it. */
    private void write(OutputStream stream) throws IOException {
        CRC32 checksum = new CRC32();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(stream, checksum));
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(generation);
        List<Map.Entry<ByteBuffer, Entry>> kept = new ArrayList<>();
        for (Map.Entry<ByteBuffer, Entry> entry : entries.entrySet()) {
            if (generation - entry.getValue().lastUsed < KEPT_SAVES) {
                kept.add(entry);
            }
        }
        out.writeInt(kept.size());
        for (Map.Entry<ByteBuffer, Entry> entry : kept) {
            out.write(entry.getKey().array());
            out.writeInt(entry.getValue().lastUsed);
            out.writeInt(entry.getValue().documents.size());
            for (Object document : entry.getValue().documents) {
                writeTree(out, document);
            }
        }
        out.flush();
        new DataOutputStream(stream).writeInt((int) checksum.getValue());
    }

    private static void writeTree(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof String text) {
            out.writeByte(STRING);
            writeString(out, text);
        } else if (value instanceof Integer number) {
            out.writeByte(INTEGER);
            out.writeInt(number);
        } else if (value instanceof Long number) {
            out.writeByte(LONG);
            out.writeLong(number);
        } else if (value instanceof Double number) {
            out.writeByte(DOUBLE);
            out.writeDouble(number);
        } else if (value instanceof Boolean truth) {
            out.writeByte(truth ? TRUE : FALSE);
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(MAP);
            out.writeInt(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                writeString(out, (String) entry.getKey());
                writeTree(out, entry.getValue());
            }
        } else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            out.writeInt(list.size());
            for (Object item : list) {
                writeTree(out, item);
            }
        } else {
            throw new IllegalArgumentException("not a plain YAML tree: " + value.getClass().getName());
        }
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    /** @throws RuntimeException on anything but a whole file of this format */
    private static YamlTreeCache read(Path file, ByteBuffer in) {
        CRC32 checksum = new CRC32();
        checksum.update(in.array(), 0, in.limit() - 4);
        if ((int) checksum.getValue() != in.getInt(in.limit() - 4)) {
            throw new IllegalStateException("checksum mismatch");
        }
        in.limit(in.limit() - 4);
        if (in.getInt() != MAGIC || in.getInt() != FORMAT) {
            throw new IllegalStateException("not a YAML tree cache of format " + FORMAT);
        }
        YamlTreeCache cache = new YamlTreeCache(file, in.getInt() + 1);
        int count = count(in);
        for (int i = 0; i < count; i++) {
            byte[] key = new byte[32];
            in.get(key);
            int lastUsed = in.getInt();
            int documents = count(in);
            List<Object> trees = new ArrayList<>(documents);
            for (int d = 0; d < documents; d++) {
                trees.add(readTree(in, 0));
            }
            cache.entries.put(ByteBuffer.wrap(key), new Entry(Collections.unmodifiableList(trees), lastUsed));
        }
        if (in.hasRemaining()) {
            throw new IllegalStateException("trailing bytes");
        }
        return cache;
    }

    /** The same types {@link SafeYaml} builds: unmodifiable LinkedHashMap and ArrayList, boxed leaves. */
    private static Object readTree(ByteBuffer in, int depth) {
        if (depth > SafeYaml.MAX_NESTING_DEPTH) {
            throw new IllegalStateException("nested too deeply");
        }
        byte type = in.get();
        switch (type) {
            case NULL: return null;
            case STRING: return readString(in);
            case INTEGER: return in.getInt();
            case LONG: return in.getLong();
            case DOUBLE: return in.getDouble();
            case TRUE: return Boolean.TRUE;
            case FALSE: return Boolean.FALSE;
            case MAP: {
                int size = count(in);
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < size; i++) {
                    map.put(readString(in), readTree(in, depth + 1));
                }
                return Collections.unmodifiableMap(map);
            }
            case LIST: {
                int size = count(in);
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(readTree(in, depth + 1));
                }
                return Collections.unmodifiableList(list);
            }
            default: throw new IllegalStateException("unknown node type " + type);
        }
    }

    private static String readString(ByteBuffer in) {
        int length = count(in);
        String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }

    /** A size that the rest of the file could hold (each element takes at least a byte). */
    private static int count(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining()) {
            throw new IllegalStateException("bad size " + count);
        }
        return count;
    }

    private static ByteBuffer digest(String text) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
