package dev.sigmacep.correlate;

import dev.sigmacep.sigma.rule.StepJoin;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The per-step joins of a sequence ({@code correlation.join}) resolved to roles: every input of the correlation
 * carries the values of all fields any join reads (in {@link #fields()} order, absent ones empty), and a step's
 * checks compare its values with those of the earlier steps of the same partial match.
 */
public final class StepJoins implements Serializable {
    static final StepJoins NONE = new StepJoins(List.of(), new Check[0][], new int[0][]);

    /** The input's value at {@code field} must equal the value at {@code earlierField} of the earlier role's event. */
    record Check(int field, int earlierRole, int earlierField) implements Serializable {
    }

    private final List<String> fields;
    private final Check[][] checksByRole;
    private final int[][] neededByRole;

    private StepJoins(List<String> fields, Check[][] checksByRole, int[][] neededByRole) {
        this.fields = fields;
        this.checksByRole = checksByRole;
        this.neededByRole = neededByRole;
    }

    /** @param roles the correlation's inputs (its rules, then its until rules): a rule's position is its role */
    static StepJoins of(List<StepJoin> joins, List<String> roles) {
        if (joins.isEmpty()) {
            return NONE;
        }
        List<String> fields = new ArrayList<>();
        List<List<Check>> checks = new ArrayList<>();
        List<List<Integer>> needed = new ArrayList<>();
        for (int role = 0; role < roles.size(); role++) {
            checks.add(new ArrayList<>());
            needed.add(new ArrayList<>());
        }
        for (StepJoin join : joins) {
            int role = roles.indexOf(join.rule());
            int earlierRole = roles.indexOf(join.earlierRule());
            int field = position(fields, join.field());
            int earlierField = position(fields, join.earlierField());
            checks.get(role).add(new Check(field, earlierRole, earlierField));
            needed.get(role).add(field);
            needed.get(earlierRole).add(earlierField);
        }
        Check[][] checksByRole = new Check[roles.size()][];
        int[][] neededByRole = new int[roles.size()][];
        for (int role = 0; role < roles.size(); role++) {
            checksByRole[role] = checks.get(role).toArray(new Check[0]);
            neededByRole[role] = needed.get(role).stream().mapToInt(Integer::intValue).distinct().toArray();
        }
        return new StepJoins(List.copyOf(fields), checksByRole, neededByRole);
    }

    private static int position(List<String> fields, String field) {
        int position = fields.indexOf(field);
        if (position < 0) {
            fields.add(field);
            position = fields.size() - 1;
        }
        return position;
    }

    public boolean isEmpty() { return fields.isEmpty(); }

    /** Every field a join reads (event fields; for a chained correlation's role, its group-by names). */
    public List<String> fields() { return fields; }

    /** The checks an event in the given role must pass against the earlier steps; empty for none. */
    Check[] checks(int role) { return checksByRole[role]; }

    /**
     * The values of {@link #fields()} for an input in the given role (absent ones empty), or null when it lacks a
     * field that role joins on: such an input could never take its step.
     */
    List<String> values(int role, Function<String, ?> source) {
        List<String> values = new ArrayList<>(fields.size());
        for (String field : fields) {
            Object value = source.apply(field);
            values.add(value == null ? "" : value.toString());
        }
        for (int needed : neededByRole[role]) {
            if (values.get(needed).isEmpty()) {
                return null;
            }
        }
        return values;
    }
}
