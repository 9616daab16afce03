package dev.sigmacep.metrics;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * A count of one outcome (events decoded, dead-lettered, late, ...): a Flink metric for dashboards of a
 * running job, and an accumulator whose job-wide total the replay summary prints.
 */
public final class JobCounter {
    private final Counter metric;
    private final LongCounter total;

    private JobCounter(Counter metric, LongCounter total) {
        this.metric = metric;
        this.total = total;
    }

    /** Registers the counter in an operator's {@code open()}; names are dotted, e.g. {@code events.sysmon-flat}. */
    public static JobCounter register(RuntimeContext context, String name) {
        // accumulators belong to the task: operators chained in one (say, the late events of the correlations that
        // share an operator) count into one
        Object registered = context.getAccumulator(name);
        LongCounter total = registered instanceof LongCounter counter ? counter : null;
        if (total == null) {
            total = new LongCounter();
            context.addAccumulator(name, total);
        }
        return new JobCounter(context.getMetricGroup().counter(name), total);
    }

    public void add(long n) {
        metric.inc(n);
        total.add(n);
    }

    public void inc() {
        add(1);
    }
}
