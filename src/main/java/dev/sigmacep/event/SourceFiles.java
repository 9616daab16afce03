package dev.sigmacep.event;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The input files of this JVM whose records may be read back by position instead of being carried along: an
 * embedded BATCH replay's local, uncompressed JSON Lines files (see {@code job.PositionedJsonLinesFormat}). A number
 * per path, for the life of the JVM, so that a position is a number and an offset; the paths a JVM registers are its
 * replays' input files, so the table stays small.
 */
public final class SourceFiles {
    /**
     * The most input files a replay reads records back from: each subtask of its correlations keeps a file open per
     * file it reads back from, so a replay of more files carries its records instead.
     */
    public static final int MAX_READ_BACK_FILES = 128;

    private static final Map<String, Integer> NUMBERS = new ConcurrentHashMap<>();
    private static final List<String> PATHS = new CopyOnWriteArrayList<>();

    private SourceFiles() {
    }

    /** The number of the file at this absolute path: the same for the same path. */
    public static int register(String absolutePath) {
        return NUMBERS.computeIfAbsent(absolutePath, path -> {
            synchronized (PATHS) {
                PATHS.add(path);
                return PATHS.size() - 1;
            }
        });
    }

    /** The path of a registered file. */
    public static String path(int file) {
        if (file < 0 || file >= PATHS.size()) {
            throw new IllegalArgumentException("no input file number " + file + " in this JVM: records travel by "
                    + "position only within the JVM that read them (an embedded replay)");
        }
        return PATHS.get(file);
    }
}
