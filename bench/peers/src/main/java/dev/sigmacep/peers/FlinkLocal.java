package dev.sigmacep.peers;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Flink mini cluster (1 TaskManager, 1 slot) started once per JVM, before any timing, and jobs run on it at
 * parallelism 1. The events reach the job through a static array ({@link #input}): the mini cluster runs in this
 * JVM, so the source is a number sequence mapped to the array, with nothing serialized into the job graph. Matches
 * are counted into a static counter by {@link CountingSink}.
 *
 * <p>Timed section: from submitting the compiled JobGraph to the job's result (scheduling, deployment, the run, the
 * end-of-input watermark, teardown). Not timed: the mini cluster start, building the pipeline and the JobGraph
 * (for SQL: parsing, planning, code generation on the client).
 */
final class FlinkLocal implements AutoCloseable {
    private static volatile ChainEvent[] input = new ChainEvent[0];
    static final AtomicLong MATCHES = new AtomicLong();

    private final MiniCluster cluster;

    FlinkLocal() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0"); // never collide with another cluster on this machine
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(1)
                .build());
        cluster.start();
    }

    /** An environment to build a job in (it is not used to execute: see {@link #execute}). */
    static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setParallelism(1);
        env.setMaxParallelism(128);
        return env;
    }

    /** The input as a stream with event-time timestamps and bounded out-of-orderness watermarks. */
    static DataStream<ChainEvent> source(StreamExecutionEnvironment env, ChainEvent[] events, Duration outOfOrderness) {
        input = events;
        return env.fromSequence(0, events.length - 1L).name("events")
                .map(new FromInput()).name("events")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<ChainEvent>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner((event, previous) -> event.ts));
    }

    /** Runs the job built in {@code env}; returns the timed seconds. The match counter is reset first. */
    double execute(StreamExecutionEnvironment env, String jobName) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(jobName);
        JobGraph job = graph.getJobGraph();
        MATCHES.set(0);
        long start = System.nanoTime();
        JobID id = cluster.submitJob(job).get().getJobID();
        JobResult result = cluster.requestJobResult(id).get();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!result.isSuccess()) {
            Throwable failure = result.getSerializedThrowable()
                    .map(t -> (Throwable) t.deserializeError(FlinkLocal.class.getClassLoader()))
                    .orElse(new IllegalStateException("job failed"));
            throw new IllegalStateException(jobName + " failed", failure);
        }
        return seconds;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }

    static final class FromInput implements MapFunction<Long, ChainEvent> {
        @Override
        public ChainEvent map(Long index) {
            return input[(int) (long) index];
        }
    }

    /** Counts what reaches it into {@link #MATCHES} (one JVM: the mini cluster runs here). */
    static final class CountingSink<T> implements Sink<T> {
        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context ctx) {
                    MATCHES.incrementAndGet();
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
