package dev.sigmacep.correlate;

import org.apache.flink.cep.EventComparator;

/**
 * Orders correlation inputs that share a timestamp, so results never depend on arrival order: by event time in
 * microseconds, then by the lowest role (a process start sorts before its connection at the same instant), then
 * by the records' bytes.
 */
public final class CorrelationEventOrder implements EventComparator<CorrelationEvent> {
    @Override
    public int compare(CorrelationEvent a, CorrelationEvent b) {
        int byTime = Long.compare(a.timeMicros(), b.timeMicros());
        if (byTime != 0) {
            return byTime;
        }
        int byRole = Integer.compare(Integer.numberOfTrailingZeros(a.roles()), Integer.numberOfTrailingZeros(b.roles()));
        return byRole != 0 ? byRole : CorrelationEvent.compareRecords(a, b);
    }
}
