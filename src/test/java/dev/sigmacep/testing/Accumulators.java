package dev.sigmacep.testing;

import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/** What an operator driven by a test harness counted into its task's accumulators ({@code JobCounter} and the like). */
public final class Accumulators {
    private Accumulators() {
    }

    /** The count under the name, 0 when nothing registered it. */
    public static long counted(AbstractStreamOperatorTestHarness<?> harness, String name) {
        Accumulator<?, ?> counter = harness.getEnvironment().getAccumulatorRegistry().getUserMap().get(name);
        return counter == null ? 0 : (Long) counter.getLocalValue();
    }
}
