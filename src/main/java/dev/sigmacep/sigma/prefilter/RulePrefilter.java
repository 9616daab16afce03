package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.sigma.FieldSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Selects the rules worth evaluating on an event: those whose {@link NecessaryCondition} may hold. Per field that
 * any atom names, one {@link AhoCorasick} automaton over the atoms' literals finds in a single pass every atom the
 * event's value satisfies; the rules owning those atoms, plus the rules without a usable condition, are the
 * candidates. A rule that is not a candidate cannot match.
 */
public final class RulePrefilter {
    private final int rules;
    private final String[] fields;
    private final AhoCorasick[] automata;
    /** per field, per pattern of its automaton: the rules owning that atom, ascending */
    private final int[][][] rulesByPattern;
    private final boolean[] always;

    private RulePrefilter(List<NecessaryCondition> conditions) {
        this.rules = conditions.size();
        this.always = new boolean[rules];
        // field -> literal -> owning rules; sorted so that the automata do not depend on hash order
        Map<String, Map<String, TreeSet<Integer>>> atoms = new TreeMap<>();
        for (int rule = 0; rule < rules; rule++) {
            NecessaryCondition condition = conditions.get(rule);
            always[rule] = condition.isAlways();
            for (LiteralAtom atom : condition.atoms()) {
                atoms.computeIfAbsent(atom.field(), f -> new TreeMap<>())
                        .computeIfAbsent(atom.literal(), l -> new TreeSet<>()).add(rule);
            }
        }
        this.fields = atoms.keySet().toArray(String[]::new);
        this.automata = new AhoCorasick[fields.length];
        this.rulesByPattern = new int[fields.length][][];
        for (int f = 0; f < fields.length; f++) {
            Map<String, TreeSet<Integer>> literals = atoms.get(fields[f]);
            automata[f] = AhoCorasick.of(new ArrayList<>(literals.keySet()));
            rulesByPattern[f] = literals.values().stream()
                    .map(owners -> owners.stream().mapToInt(Integer::intValue).toArray())
                    .toArray(int[][]::new);
        }
    }

    /** @param conditions the condition of every rule, by rule index */
    public static RulePrefilter of(List<NecessaryCondition> conditions) {
        return new RulePrefilter(conditions);
    }

    /** A fresh candidate set sized for these rules; one per thread, reused for every event. */
    public CandidateSet newCandidateSet() {
        return new CandidateSet(rules);
    }

    /**
     * What an event of a route needs: its rules as a mask, those of them that are always evaluated, and the fields
     * whose automata can select any of them (only those are scanned).
     *
     * @param routed the rule indices of the route, ascending
     */
    public RouteFilter forRoute(int[] routed) {
        long[] mask = new long[CandidateSet.words(rules)];
        long[] alwaysMask = new long[mask.length];
        for (int rule : routed) {
            mask[rule >>> 6] |= 1L << rule;
            if (always[rule]) {
                alwaysMask[rule >>> 6] |= 1L << rule;
            }
        }
        List<Integer> scanned = new ArrayList<>();
        for (int f = 0; f < fields.length; f++) {
            if (ownsAny(rulesByPattern[f], mask)) {
                scanned.add(f);
            }
        }
        return new RouteFilter(routed, mask, alwaysMask, scanned.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean ownsAny(int[][] owners, long[] mask) {
        for (int[] rules : owners) {
            for (int rule : rules) {
                if ((mask[rule >>> 6] & 1L << rule) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Fills the candidate set with the route's rules that may match the event. */
    public void select(FieldSource event, RouteFilter route, CandidateSet candidates) {
        candidates.clear();
        for (int f : route.fields()) {
            candidates.rulesByPattern = rulesByPattern[f];
            if (fields[f].equals(LiteralAtom.ANY_FIELD)) {
                for (Object value : event.values()) {
                    if (value != null) {
                        scan(automata[f], value, candidates);
                    }
                }
            } else {
                Object value = event.field(fields[f]);
                if (value != null) {
                    scan(automata[f], value, candidates);
                }
            }
        }
        candidates.restrictTo(route);
    }

    /** Scans a value as the matchers see it: each element of a list, numbers and booleans by their string form. */
    private static void scan(AhoCorasick automaton, Object value, CandidateSet candidates) {
        if (value instanceof String text) {
            automaton.scan(text, candidates);
        } else if (value instanceof Integer || value instanceof Long) {
            automaton.scanDecimal(((Number) value).longValue(), candidates);
        } else if (value instanceof List<?> list) {
            for (int i = 0, n = list.size(); i < n; i++) {
                Object element = list.get(i);
                if (element != null && !(element instanceof List)) {
                    scan(automaton, element, candidates);
                }
            }
        } else {
            automaton.scan(String.valueOf(value), candidates); // booleans are constants; other numbers are rare
        }
    }

    /** How many rules have no usable condition and are evaluated on every event of their route. */
    public int alwaysEvaluated() {
        int count = 0;
        for (boolean a : always) {
            count += a ? 1 : 0;
        }
        return count;
    }

    /** Per indexed field: number of automaton states, for reports. */
    public Map<String, Integer> automatonStates() {
        Map<String, Integer> states = new LinkedHashMap<>();
        for (int f = 0; f < fields.length; f++) {
            states.put(fields[f], automata[f].states());
        }
        return states;
    }
}
