package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Opens telemetry files whatever their packing: plain, gzip ({@code .gz}) or a zip archive of JSON files. */
public final class TelemetryStreams {
    private TelemetryStreams() {
    }

    /** The text bytes of a file on the local file system (used outside Flink, e.g. by {@code rules test}). */
    public static InputStream open(Path file) throws IOException {
        InputStream in = gunzipIfGz(file);
        try {
            return unzipIfArchive(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Decodes every record of a local file (plain, .gz or zip; in JSON Lines a line is a record, also in a zip
     * entry named so) outside Flink, e.g. for {@code rules test}: the framing of a replay ({@link FileRecords}).
     *
     * @throws IOException when the file cannot be read to its end; the records before that were passed on
     */
    public static void decode(Path file, int maxRecordChars, Consumer<DecodeResult> each) throws IOException {
        try (InputStream in = gunzipIfGz(file)) {
            FileRecords records = new FileRecords(in, InputFiles.isJsonLines(file), maxRecordChars);
            for (DecodeResult result = records.next(); result != null; result = records.next()) {
                each.accept(result);
            }
        }
    }

    private static InputStream gunzipIfGz(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                    ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Zip archives are recognised by their magic bytes; their file entries are read one after another. */
    private static InputStream unzipIfArchive(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        boolean zip = magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        return zip ? new ZipEntriesStream(new ZipInputStream(in)) : in;
    }

    /** The concatenated contents of every file entry of a zip archive. */
    private static final class ZipEntriesStream extends InputStream {
        private final ZipInputStream zip;
        private boolean inEntry;

        ZipEntriesStream(ZipInputStream zip) {
            this.zip = zip;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (true) {
                if (!inEntry && !nextFileEntry()) {
                    return -1;
                }
                int n = zip.read(buffer, offset, length);
                if (n >= 0) {
                    return n;
                }
                inEntry = false;
            }
        }

        private boolean nextFileEntry() throws IOException {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (!entry.isDirectory()) {
                    inEntry = true;
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }
}
