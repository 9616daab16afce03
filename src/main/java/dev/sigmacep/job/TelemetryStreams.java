package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/** Reads telemetry files outside Flink whatever their packing: plain, gzip ({@code .gz}) or a zip archive of JSON files. */
public final class TelemetryStreams {
    private TelemetryStreams() {
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
}
