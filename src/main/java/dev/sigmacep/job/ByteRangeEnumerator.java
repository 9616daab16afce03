package dev.sigmacep.job;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;

import java.util.List;

/**
 * Cuts files into byte ranges of a fixed size, so that subtasks read one large file together. Flink's block
 * splitting does not help on a local disk: a local file is one block. A compressed file is one range: it can only
 * be read from its start.
 */
final class ByteRangeEnumerator extends NonSplittingRecursiveEnumerator {
    /** Large enough that a range's start cost (open, seek, skip to a line) does not count, small enough to share. */
    static final long RANGE_BYTES = 32L << 20;

    private final long rangeBytes;

    ByteRangeEnumerator(long rangeBytes) {
        super(path -> true);
        if (rangeBytes < 1) throw new IllegalArgumentException("rangeBytes must be positive");
        this.rangeBytes = rangeBytes;
    }

    @Override
    protected void convertToSourceSplits(FileStatus file, FileSystem fs, List<FileSourceSplit> target) {
        long size = file.getLen();
        if (size == 0) return; // no records, and Flink's stream reader refuses empty files
        long range = StandardDeCompressors.getDecompressorForFileName(file.getPath().getPath()) == null
                ? rangeBytes : size;
        long offset = 0;
        do {
            long length = Math.min(range, size - offset);
            target.add(new FileSourceSplit(getNextId(), file.getPath(), offset, length,
                    file.getModificationTime(), size));
            offset += length;
        } while (offset < size);
    }
}
