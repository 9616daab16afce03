package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;

import java.io.IOException;

/**
 * The format of the files read whole ({@link JsonRecordFormat}: pretty-printed, compressed, zip), through the file
 * source's own stream adapter (the one {@code FileSource.forRecordStreamFormat} uses), whose batches end after
 * {@code source.file.stream.io-fetch-size} bytes of the file as stored (1 MB by default). A zip archive is
 * decompressed by the format itself, after that count: a 1 MB batch of the SigmaHQ campaign archives held about
 * 17,000 decoded events (35 MB of records), every one of them copied by each young collection while it waited for
 * the task. Unless the configuration sets the fetch size, batches end after {@link #BATCH_BYTES} stored bytes: one
 * read of the format's buffer, 64 KB of plain text or 1.5-2.5 MB of records of an archive. Batches that small cost
 * nothing measurable on plain files (docs/benchmarks.md, round 20).
 */
final class WholeFileFormat implements BulkFormat<DecodeResult, FileSourceSplit> {
    static final MemorySize BATCH_BYTES = new MemorySize(64 << 10);

    private final StreamFormatAdapter<DecodeResult> files;

    WholeFileFormat(JsonRecordFormat format) {
        this.files = new StreamFormatAdapter<>(format);
    }

    @Override
    public Reader<DecodeResult> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return files.createReader(batches(config), split);
    }

    @Override
    public Reader<DecodeResult> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        return files.restoreReader(batches(config), split);
    }

    /** The configuration with {@link #BATCH_BYTES} as the fetch size, unless it sets one. */
    static Configuration batches(Configuration config) {
        if (config.contains(StreamFormat.FETCH_IO_SIZE)) {
            return config;
        }
        Configuration batches = new Configuration(config);
        batches.set(StreamFormat.FETCH_IO_SIZE, BATCH_BYTES);
        return batches;
    }

    @Override
    public boolean isSplittable() {
        return files.isSplittable();
    }

    @Override
    public TypeInformation<DecodeResult> getProducedType() {
        return files.getProducedType();
    }
}
