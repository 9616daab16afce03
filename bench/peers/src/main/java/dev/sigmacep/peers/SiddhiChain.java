package dev.sigmacep.peers;

import io.siddhi.core.SiddhiAppRuntime;
import io.siddhi.core.SiddhiManager;
import io.siddhi.core.event.Event;
import io.siddhi.core.stream.input.InputHandler;
import io.siddhi.core.stream.output.StreamCallback;

/**
 * Siddhi 5.1 (Apache 2.0). Playback mode ({@code @app:playback}): the event timestamps given to
 * {@code InputHandler.send(ts, data)} are Siddhi's clock. A filter query drops background before the partition;
 * {@code partition with (key of Rel)} keeps one pattern instance per key, purged when idle for longer than the
 * window. Pattern {@code every e1=Rel[kind==1] -> e2=Rel[kind==2] -> e3=Rel[kind==3] within 1799999 milliseconds}:
 * Siddhi expires a partial match when {@code |t - start| > within}, so 30 min - 1 ms gives Flink's bound (C less
 * than 30 min after A). {@code every} reports one candidate per A; the callback keeps those that start past the
 * previous match ({@link SkipPastLastMatch}). Synchronous: the callback runs on the sending thread.
 */
final class SiddhiChain implements Peer {
    static final String APP = """
            @app:name('chain')
            @app:playback
            define stream Ev (key string, kind int, seq long);

            from Ev[kind > 0]
            select key, kind, seq
            insert into Rel;

            @purge(enable='true', interval='10 min', idle.period='31 min')
            partition with (key of Rel)
            begin
                from every e1=Rel[kind == 1] -> e2=Rel[kind == 2] -> e3=Rel[kind == 3]
                    within %d milliseconds
                select e1.key as key, e1.seq as aSeq, e3.seq as cSeq
                insert into Matches;
            end;
            """.formatted(Chain.WINDOW_MS - 1);

    private SiddhiManager manager;

    @Override
    public String name() {
        return "siddhi_chain";
    }

    @Override
    public void open() {
        manager = new SiddhiManager();
    }

    @Override
    public Run run(ChainEvent[] events) throws Exception {
        // Siddhi's input is an Object[] per event: built before timing, like the POJOs the other engines get
        Object[][] data = new Object[events.length][];
        for (int i = 0; i < events.length; i++) {
            ChainEvent e = events[i];
            data[i] = new Object[]{e.key, e.kind, e.seq};
        }
        SiddhiAppRuntime runtime = manager.createSiddhiAppRuntime(APP);
        try {
            SkipPastLastMatch skip = new SkipPastLastMatch();
            runtime.addCallback("Matches", new StreamCallback() {
                @Override
                public void receive(Event[] matches) {
                    for (Event match : matches) {
                        Object[] m = match.getData();
                        skip.offer((String) m[0], (Long) m[1], (Long) m[2]);
                    }
                }
            });
            InputHandler input = runtime.getInputHandler("Ev");
            runtime.start();

            long start = System.nanoTime();
            for (int i = 0; i < events.length; i++) {
                input.send(events[i].ts, data[i]);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Run(skip.matches(), seconds);
        } finally {
            runtime.shutdown();
        }
    }

    @Override
    public String note() {
        return "Siddhi 5.1.30, 1 thread (synchronous), playback (event-time clock), filter query before "
                + "partition with (key), purge idle partitions after 31 min; every-pattern + skip-past-last in the "
                + "callback; timed: the send loop (app runtime started before; Object[] rows built before)";
    }

    @Override
    public void close() {
        if (manager != null) manager.shutdown();
    }
}
