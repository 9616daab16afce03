package dev.sigmacep.job;

import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * The replay's embedded Flink mini cluster, started in the background while the client loads and compiles its rules
 * (with the whole SigmaHQ pack, both take a second or two), instead of when the job is submitted. It runs one job
 * and shuts down when that job ends, as Flink's own local execution does; {@link #close()} shuts it down if no job
 * ran (the rules failed to load).
 */
public final class EmbeddedCluster implements AutoCloseable {
    private final Configuration configuration;
    private final int slots;
    private final Prestarted cluster;
    private boolean used;

    private EmbeddedCluster(Configuration configuration, int slots) {
        this.configuration = configuration;
        this.slots = slots;
        Configuration clusterConfiguration = new Configuration(configuration);
        if (!clusterConfiguration.contains(RestOptions.BIND_PORT)) {
            clusterConfiguration.set(RestOptions.BIND_PORT, "0"); // any free port, as Flink's local execution does
        }
        this.cluster = new Prestarted(new MiniClusterConfiguration.Builder().setConfiguration(clusterConfiguration)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(slots)
                .setRpcServiceSharing(RpcServiceSharing.SHARED).build());
    }

    /**
     * @param configuration the job's local configuration (cluster options included), as {@link Replay} sets it
     * @param slots         task slots: the job's parallelism
     * @return the cluster, starting; null when jobs of this JVM do not run on an embedded cluster of their own (the
     *         program runs under {@code flink run}, or in a test with its mini cluster)
     */
    public static EmbeddedCluster startIfLocal(Configuration configuration, int slots) {
        if (!(StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment)) {
            return null;
        }
        EmbeddedCluster embedded = new EmbeddedCluster(configuration, slots);
        embedded.cluster.startInBackground();
        return embedded;
    }

    /** An environment whose job runs on this cluster (once). */
    StreamExecutionEnvironment environment() {
        Configuration environment = new Configuration(configuration);
        environment.set(DeploymentOptions.TARGET, LocalExecutor.NAME);
        environment.set(DeploymentOptions.ATTACHED, true);
        PipelineExecutor executor = LocalExecutor.createWithFactory(environment, requested -> {
            if (used) {
                throw new IllegalStateException("the embedded cluster runs one job");
            }
            int needed = requested.getConfiguration().get(TaskManagerOptions.NUM_TASK_SLOTS);
            if (needed > slots) {
                throw new IllegalStateException("the job needs " + needed + " slots, the embedded cluster has " + slots);
            }
            used = true;
            return cluster;
        });
        PipelineExecutorFactory factory = new PipelineExecutorFactory() {
            @Override
            public String getName() {
                return LocalExecutor.NAME;
            }

            @Override
            public boolean isCompatibleWith(Configuration configuration) {
                return true;
            }

            @Override
            public PipelineExecutor getExecutor(Configuration configuration) {
                return executor;
            }
        };
        PipelineExecutorServiceLoader loader = new PipelineExecutorServiceLoader() {
            @Override
            public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
                return factory;
            }

            @Override
            public Stream<String> getExecutorNames() {
                return Stream.of(LocalExecutor.NAME);
            }
        };
        return new StreamExecutionEnvironment(loader, environment, EmbeddedCluster.class.getClassLoader());
    }

    /** Shuts the cluster down unless a job ran on it (Flink shuts it down when the job ends). */
    @Override
    public void close() throws Exception {
        if (!used) {
            cluster.startup.handle((ignored, failure) -> null).get();
            cluster.closeAsync().get();
        }
    }

    /** A mini cluster whose {@link #start()} waits for the start begun earlier on a thread of its own. */
    private static final class Prestarted extends MiniCluster {
        private final CompletableFuture<Void> startup = new CompletableFuture<>();

        Prestarted(MiniClusterConfiguration configuration) {
            super(configuration);
        }

        void startInBackground() {
            Thread starter = new Thread(() -> {
                try {
                    super.start();
                    startup.complete(null);
                } catch (Throwable e) {
                    startup.completeExceptionally(e);
                }
            }, "embedded cluster start");
            starter.setDaemon(true);
            starter.start();
        }

        @Override
        public void start() throws Exception {
            try {
                startup.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }
}
