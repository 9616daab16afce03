package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.EventDecoder;
import dev.sigmacep.event.JsonLines;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.IOException;

/**
 * Reads a JSON Lines file ({@code .ndjson}, {@code .jsonl}, also {@code .gz}) as decoded records, a line each. The
 * file source may cut an uncompressed file into byte ranges read in parallel: each range reads the lines that start
 * in it. After a restore the range is read again from its start and the records already emitted are skipped. The
 * source reads it through {@link PositionedJsonLinesFormat}, which makes one per file.
 */
final class JsonLinesFormat implements StreamFormat<DecodeResult> {
    /** For a file whose events need not know where their records lie. */
    static final int NO_SOURCE_FILE = -1;

    private final int maxRecordBytes;
    private final FutureEvents future;
    private final int sourceFile;

    /** @param future the events this source turns into dead letters for their time, before watermarks see them */
    JsonLinesFormat(int maxRecordBytes, FutureEvents future) {
        this(maxRecordBytes, future, NO_SOURCE_FILE);
    }

    private JsonLinesFormat(int maxRecordBytes, FutureEvents future, int sourceFile) {
        this.maxRecordBytes = maxRecordBytes;
        this.future = future;
        this.sourceFile = sourceFile;
    }

    /**
     * This format for the uncompressed file number {@code sourceFile} of {@link dev.sigmacep.event.SourceFiles}: each
     * event knows where its record lies there.
     */
    JsonLinesFormat forSourceFile(int sourceFile) {
        return new JsonLinesFormat(maxRecordBytes, future, sourceFile);
    }

    @Override
    public Reader<DecodeResult> createReader(Configuration config, FSDataInputStream stream, long fileLen,
                                             long splitEnd) throws IOException {
        long start = stream.getPos();
        // a range that is the whole file reads to the stream's end: a compressed file's length is not its text's
        long end = start == 0 && splitEnd >= fileLen ? Long.MAX_VALUE : splitEnd;
        long position = start;
        if (start > 0) {
            position = start - 1; // see JsonLines: the byte before the range tells whether a line starts at it
            stream.seek(position);
        }
        return new LinesReader(stream, new JsonLines(stream, position, start, end, maxRecordBytes),
                new EventDecoder(maxRecordBytes), future, sourceFile);
    }

    @Override
    public Reader<DecodeResult> restoreReader(Configuration config, FSDataInputStream stream, long restoredOffset,
                                              long fileLen, long splitEnd) throws IOException {
        // positions are never checkpointed as offsets (getCheckpointedPosition is null): this is not called
        throw new IOException("JsonLinesFormat restores by re-reading its range, not from offset " + restoredOffset);
    }

    @Override
    public boolean isSplittable() {
        return true;
    }

    @Override
    public TypeInformation<DecodeResult> getProducedType() {
        return TypeInformation.of(DecodeResult.class);
    }

    private static final class LinesReader extends DecodingReader {
        private final JsonLines lines;
        private final EventDecoder decoder;
        private final int sourceFile;

        LinesReader(FSDataInputStream stream, JsonLines lines, EventDecoder decoder, FutureEvents future,
                    int sourceFile) {
            super(stream, future);
            this.lines = lines;
            this.decoder = decoder;
            this.sourceFile = sourceFile;
        }

        @Override
        DecodeResult next() throws IOException {
            if (!lines.next()) {
                return null;
            }
            ReplayProgress.recordRead(lines.lineBytes());
            return sourceFile == NO_SOURCE_FILE ? decoder.decodeLine(lines) : decoder.decodeLine(lines, sourceFile);
        }
    }
}
