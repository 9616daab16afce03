package dev.sigmacep.correlate;

import dev.sigmacep.sigma.model.Condition;
import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.StepJoin;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * <p>An ordered correlation's extended condition (e.g. {@code a and not b and c} with rules [a, b, c]) is a
 * sequence of its positive rules in list order, and a negated rule must not occur between its neighbours
 * ({@code notFollowedBy}); an {@code until} rule must not occur between any two steps, so it ends partial matches.
 * Per-step joins ({@code correlation.join}) make each step's condition compare its values with the earlier steps'.
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
        Map<String, Boolean> negated = literals(plan.rule());
        List<String> rules = plan.rule().rules();
        StepJoins joins = plan.joins();
        Pattern<CorrelationEvent, CorrelationEvent> pattern = null;
        int previous = -1;
        for (int role = 0; role < plan.listedRoles(); role++) {
            if (negated.getOrDefault(rules.get(role), false)) {
                continue;
            }
            if (pattern == null) {
                pattern = Pattern.<CorrelationEvent>begin(stepName(role), joins.isEmpty()
                                ? AfterMatchSkipStrategy.skipPastLastEvent() : AfterMatchSkipStrategy.noSkip())
                        .where(new HasRole(role));
            } else {
                int forbidden = plan.untilRoles();
                for (int between = previous + 1; between < role; between++) {
                    forbidden |= 1 << between; // only negated rules lie between two positive steps
                }
                if (forbidden != 0) {
                    pattern = pattern.notFollowedBy("not-before-" + stepName(role)).where(step(forbidden, joins));
                }
                pattern = joins.isEmpty() ? pattern.followedBy(stepName(role)).where(new HasRole(role))
                        : pattern.followedByAny(stepName(role)).where(step(1 << role, joins));
            }
            previous = role;
        }
        return pattern;
    }

    /**
     * A step's condition: the event plays one of the roles, and passes that role's joins. With joins, a host's
     * partition holds several chains (process trees) at once, so a partial match must be able to take any event
     * that joins it, not only the first ({@code followedByAny}), and a match must not end the other chains'
     * partial matches ({@code noSkip}); {@link OneAlertPerStartFunction} then keeps one alert per first event.
     */
    private static IterativeCondition<CorrelationEvent> step(int roles, StepJoins joins) {
        for (int role = 0; role < 32 && !joins.isEmpty(); role++) {
            if ((roles & (1 << role)) != 0 && joins.checks(role).length > 0) {
                return new JoinedStep(roles, joins);
            }
        }
        return new HasAnyRole(roles);
    }

    /** Each rule of an ordered extended condition, and whether it is negated; empty without a condition. */
    private static Map<String, Boolean> literals(CorrelationRule correlation) {
        Map<String, Boolean> literals = new HashMap<>();
        Condition expression = correlation.condition().expression();
        if (expression == null) {
            return literals;
        }
        List<Condition> operands = expression instanceof Condition.And and ? and.operands() : List.of(expression);
        for (Condition operand : operands) {
            boolean not = operand instanceof Condition.Not;
            Condition literal = not ? ((Condition.Not) operand).operand() : operand;
            if (!(literal instanceof Condition.Identifier identifier) || literals.put(identifier.name(), not) != null) {
                throw new IllegalArgumentException("the condition of a temporal_ordered correlation must name each of"
                        + " its rules once, joined by 'and', each alone or after 'not' (e.g. 'a and not b and c')");
            }
        }
        return literals;
    }

    /** Rejects an ordered extended condition the pattern cannot express, with the reason. */
    static void checkSequence(CorrelationRule correlation) {
        Map<String, Boolean> literals = literals(correlation);
        List<String> rules = correlation.rules();
        if (!literals.keySet().equals(new java.util.HashSet<>(rules))) {
            throw new IllegalArgumentException("the condition of a temporal_ordered correlation must name each of its"
                    + " rules once; it names " + new java.util.TreeSet<>(literals.keySet()) + " of " + rules);
        }
        if (literals.get(rules.get(0)) || literals.get(rules.get(rules.size() - 1))) {
            throw new IllegalArgumentException("a negated rule must lie between two rules of the sequence: an absence"
                    + " before the first or after the last step is not supported yet");
        }
    }

    /** Rejects a join on a negated rule's event: a step that must not occur has no values to join to. */
    static void checkJoins(CorrelationRule correlation) {
        if (correlation.joins().isEmpty()) {
            return;
        }
        Map<String, Boolean> negated = literals(correlation);
        for (StepJoin join : correlation.joins()) {
            if (negated.getOrDefault(join.earlierRule(), false)) {
                throw new IllegalArgumentException("join " + join + ": '" + join.earlierRule() + "' is negated in the"
                        + " condition, so no event of it is in a match to join to");
            }
        }
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

    /** The event plays one of the roles of the mask. */
    static final class HasAnyRole extends SimpleCondition<CorrelationEvent> {
        private final int roles;

        HasAnyRole(int roles) {
            this.roles = roles;
        }

        @Override
        public boolean filter(CorrelationEvent event) {
            return (event.roles() & roles) != 0;
        }
    }

    /** The event plays one of the roles and its values pass that role's joins with the match's earlier steps. */
    static final class JoinedStep extends IterativeCondition<CorrelationEvent> {
        private final int roles;
        private final StepJoins joins;

        JoinedStep(int roles, StepJoins joins) {
            this.roles = roles;
            this.joins = joins;
        }

        @Override
        public boolean filter(CorrelationEvent event, Context<CorrelationEvent> ctx) throws Exception {
            for (int role = 0; role < 32; role++) {
                if ((roles & (1 << role)) != 0 && event.hasRole(role) && joined(role, event, ctx)) {
                    return true;
                }
            }
            return false;
        }

        private boolean joined(int role, CorrelationEvent event, Context<CorrelationEvent> ctx) throws Exception {
            for (StepJoins.Check check : joins.checks(role)) {
                String value = event.values().get(check.field());
                if (value.isEmpty() || !earlierCarries(ctx, check, value)) {
                    return false;
                }
            }
            return true;
        }

        /** A step not matched yet (an until rule before it) carries nothing, so the check fails. */
        private static boolean earlierCarries(Context<CorrelationEvent> ctx, StepJoins.Check check, String value)
                throws Exception {
            for (CorrelationEvent earlier : ctx.getEventsForPattern(stepName(check.earlierRole()))) {
                if (value.equals(earlier.values().get(check.earlierField()))) {
                    return true;
                }
            }
            return false;
        }
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
