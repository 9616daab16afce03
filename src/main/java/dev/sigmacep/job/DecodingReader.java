package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.log.RateLimitedLog;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;

/**
 * What the file formats' readers share: each decoded record checked for a future event time, and a file that
 * cannot be read on (a truncated {@code .gz} or zip, a failing disk) ended with one dead letter instead of failing
 * the job.
 */
abstract class DecodingReader implements StreamFormat.Reader<DecodeResult> {
    private static final RateLimitedLog BROKEN_FILES = new RateLimitedLog(LoggerFactory.getLogger(DecodingReader.class), 10);

    private final Closeable input;
    private final FutureEvents future;
    private boolean broken;

    DecodingReader(Closeable input, FutureEvents future) {
        this.input = input;
        this.future = future;
    }

    /** The next record of the file, decoded, its bytes counted in {@link ReplayProgress}; null at the end. */
    abstract DecodeResult next() throws IOException;

    @Override
    public final DecodeResult read() {
        if (broken) {
            return null;
        }
        try {
            DecodeResult record = next();
            return record == null ? null : future.check(record);
        } catch (IOException e) {
            broken = true;
            BROKEN_FILES.warn("unreadable input, its records before the break were read: " + e);
            return DecodeResult.dead("unreadable input: " + e.getMessage() + " (the records before it were read)", "");
        }
    }

    @Override
    public final void close() throws IOException {
        input.close();
    }
}
