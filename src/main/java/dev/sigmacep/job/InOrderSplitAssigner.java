package dev.sigmacep.job;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

import javax.annotation.Nullable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Hands a replay's file splits out in the order they were listed: the files as given (a directory's sorted), each
 * file's byte ranges from its start. In STREAMING a reader's watermark only moves forward, so a range read after a
 * later one of the same file would be late as a whole; Flink's default assigner, made for locality, hands ranges out
 * in another order (a time-ordered 800 MB file, read in 32 MB ranges by one reader, lost three quarters of its
 * correlation inputs as late). With several readers the job's watermark is the slowest reader's, so ranges read side
 * by side in this order are not late either.
 */
final class InOrderSplitAssigner implements FileSplitAssigner {
    private final ArrayDeque<FileSourceSplit> remaining;

    InOrderSplitAssigner(Collection<FileSourceSplit> splits) {
        this.remaining = new ArrayDeque<>(splits);
    }

    @Override
    public Optional<FileSourceSplit> getNext(@Nullable String hostname) {
        return Optional.ofNullable(remaining.pollFirst());
    }

    /** Splits given back by a failed reader were handed out before those still here: they go first, in their order. */
    @Override
    public void addSplits(Collection<FileSourceSplit> splits) {
        List<FileSourceSplit> back = new ArrayList<>(splits);
        for (int i = back.size() - 1; i >= 0; i--) {
            remaining.addFirst(back.get(i));
        }
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return new ArrayList<>(remaining);
    }
}
