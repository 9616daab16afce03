package dev.sigmacep.peers;

/**
 * One engine running the chain. {@link #open} sets the engine up once (not timed); each {@link #run} processes the
 * whole input from fresh state and reports the match count and the seconds of its timed section.
 */
public interface Peer extends AutoCloseable {

    /** Matches found and the length of the timed section. */
    record Run(long matches, double seconds) {
    }

    String name();

    /** Once, before any run: compile statements, start a mini cluster (not timed). */
    default void open() throws Exception {
    }

    /** Processes {@code events} (time-sorted) from fresh state. */
    Run run(ChainEvent[] events) throws Exception;

    /** What the timed section covers and how the engine is set up (for the JSON line). */
    String note();

    @Override
    default void close() throws Exception {
    }
}
