package dev.sigmacep.sigma.prefilter;

/**
 * The prefilter's view of one route (Channel, EventID): see {@link RulePrefilter#forRoute}.
 *
 * @param rules    the route's rule indices, ascending
 * @param mask     bitset of {@code rules}
 * @param always   bitset of the route's rules that have no usable condition
 * @param fields   bitset of the indices of the fields to scan with their own automata for the route
 * @param keywords whether some rule of the route has keyword atoms (then every value of the event is scanned)
 */
public record RouteFilter(int[] rules, long[] mask, long[] always, long[] fields, boolean keywords) {

    boolean scans(int field) {
        return (fields[field >>> 6] & 1L << field) != 0;
    }
}
