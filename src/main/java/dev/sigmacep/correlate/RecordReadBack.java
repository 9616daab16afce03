package dev.sigmacep.correlate;

import dev.sigmacep.event.SourceFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads records back from their input files by {@link RecordReference}, for one operator instance (one thread): a
 * channel per file, open until {@link #close}. A replay reads back from at most
 * {@link SourceFiles#MAX_READ_BACK_FILES} files, so all stay open; past that many the least recently read is closed
 * (never more open files than that, whatever comes). A record that does not read back as it was read (the file
 * changed or shrank since) fails the read: the replay's input changed under it, and its results would be wrong.
 */
final class RecordReadBack implements AutoCloseable {
    private final Map<Integer, FileChannel> files;

    RecordReadBack() {
        this.files = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, FileChannel> eldest) {
                if (size() <= SourceFiles.MAX_READ_BACK_FILES) {
                    return false;
                }
                try {
                    eldest.getValue().close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return true;
            }
        };
    }

    byte[] read(RecordReference reference) throws IOException {
        FileChannel file = files.get(reference.file());
        if (file == null) { // the path is looked up only to open a file, or to name one that changed
            try {
                file = FileChannel.open(Path.of(SourceFiles.path(reference.file())), StandardOpenOption.READ);
            } catch (IOException e) {
                throw changed(reference, "it can no longer be opened (" + e + ")");
            }
            files.put(reference.file(), file);
        }
        byte[] record = new byte[reference.length()];
        ByteBuffer into = ByteBuffer.wrap(record);
        while (into.hasRemaining() && file.read(into, reference.offset() + into.position()) >= 0) {
            // a positional read may return fewer bytes than asked
        }
        if (into.hasRemaining() || RecordReference.crc32c(record) != reference.crc32c()) {
            throw changed(reference, "the " + reference.length() + " bytes at offset " + reference.offset()
                    + " no longer hold the record read there");
        }
        return record;
    }

    private static IOException changed(RecordReference reference, String how) {
        return new IOException("input file " + SourceFiles.path(reference.file()) + " changed while the replay read "
                + "it: " + how + "; replay files that nothing writes to meanwhile");
    }

    @Override
    public void close() throws IOException {
        IOException failed = null;
        for (FileChannel file : files.values()) {
            try {
                file.close();
            } catch (IOException e) {
                failed = failed == null ? e : failed;
            }
        }
        files.clear();
        if (failed != null) {
            throw failed;
        }
    }
}
