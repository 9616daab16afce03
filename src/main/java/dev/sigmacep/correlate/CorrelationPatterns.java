package dev.sigmacep.correlate;

import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * Compiles a {@link CorrelationPlan} into a Flink CEP pattern over one group-by partition.
 * <ul>
 *   <li>temporal_ordered [r0, r1, ...]: {@code begin(r0).followedBy(r1)...within(timespan)} — relaxed
 *       contiguity, so unrelated events of the same partition may sit between the steps;</li>
 *   <li>temporal (any order, K distinct rules): a first event of any role, optional further events that each add
 *       a role not seen yet, and a last event that brings the number of distinct roles to K.</li>
 * </ul>
 * {@code within} spans from the first event of a match (a sliding window, no fixed buckets). After a match the
 * partial matches that started before its last event are dropped, so one attack instance gives one alert.
 */
public final class CorrelationPatterns {
    private CorrelationPatterns() {
    }

    public static Pattern<CorrelationEvent, ?> compile(CorrelationPlan plan) {
        Pattern<CorrelationEvent, ?> pattern = plan.ordered() ? ordered(plan) : unordered(plan);
        return pattern.within(plan.timespan());
    }

    /** The step names of an ordered pattern are the role numbers, so a match reads back in rule order. */
    static String stepName(int role) {
        return "rule" + role;
    }

    private static Pattern<CorrelationEvent, ?> ordered(CorrelationPlan plan) {
        Pattern<CorrelationEvent, CorrelationEvent> pattern =
                Pattern.<CorrelationEvent>begin(stepName(0), AfterMatchSkipStrategy.skipPastLastEvent())
                        .where(new HasRole(0));
        for (int role = 1; role < plan.roleCount(); role++) {
            pattern = pattern.followedBy(stepName(role)).where(new HasRole(role));
        }
        return pattern;
    }

    static final String FIRST = "first";
    static final String MORE = "more";
    static final String LAST = "last";

    private static Pattern<CorrelationEvent, ?> unordered(CorrelationPlan plan) {
        int allRoles = (1 << plan.roleCount()) - 1; // at most 31 roles (CorrelationPlanner.MAX_ROLES)
        Pattern<CorrelationEvent, CorrelationEvent> pattern =
                Pattern.<CorrelationEvent>begin(FIRST, AfterMatchSkipStrategy.skipPastLastEvent())
                        .where(new AddsRole(allRoles, plan.requiredRoles(), false));
        if (plan.requiredRoles() > 2) {
            pattern = pattern.followedBy(MORE).where(new AddsRole(allRoles, plan.requiredRoles(), false))
                    .oneOrMore().optional();
        }
        return pattern.followedBy(LAST).where(new AddsRole(allRoles, plan.requiredRoles(), true));
    }

    /** The event plays the given role. */
    static final class HasRole extends SimpleCondition<CorrelationEvent> {
        private final int role;

        HasRole(int role) {
            this.role = role;
        }

        @Override
        public boolean filter(CorrelationEvent event) {
            return event.hasRole(role);
        }
    }

    /**
     * The event plays a role the match has not seen yet; {@code completing} selects whether the distinct roles
     * seen then reach the required number (last step) or stay below it (earlier steps).
     */
    static final class AddsRole extends IterativeCondition<CorrelationEvent> {
        private final int allRoles;
        private final int requiredRoles;
        private final boolean completing;

        AddsRole(int allRoles, int requiredRoles, boolean completing) {
            this.allRoles = allRoles;
            this.requiredRoles = requiredRoles;
            this.completing = completing;
        }

        @Override
        public boolean filter(CorrelationEvent event, Context<CorrelationEvent> ctx) throws Exception {
            int seen = 0;
            for (CorrelationEvent earlier : ctx.getEventsForPattern(FIRST)) {
                seen |= earlier.roles();
            }
            for (CorrelationEvent earlier : ctx.getEventsForPattern(MORE)) {
                seen |= earlier.roles();
            }
            int roles = event.roles() & allRoles;
            if ((roles & ~seen) == 0) {
                return false;
            }
            boolean complete = Integer.bitCount(seen | roles) >= requiredRoles;
            return complete == completing;
        }
    }
}
