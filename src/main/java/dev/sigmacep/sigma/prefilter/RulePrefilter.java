package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.field.FieldSource;
import dev.sigmacep.field.InternedNames;
import dev.sigmacep.sigma.text.AhoCorasick;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Selects the rules worth evaluating on an event: those whose {@link NecessaryCondition} may hold. Per field that
 * any atom names, one {@link AhoCorasick} automaton over the atoms' literals finds in a single pass every atom the
 * event's value satisfies. The candidates are the rules of which an atom of each clause was found, plus the rules
 * without clauses, less the rules of which an excluding atom was found (see {@link CandidateSet}). A rule that is
 * not a candidate cannot match.
 */
public final class RulePrefilter {
    private final int rules;
    /** the named fields that atoms test */
    private final String[] fields;
    /** field name to index in {@link #fields}, an {@link InternedNames} table; sparse, as most names looked up are absent */
    private final String[] nameSlots;
    private final int[] indexOfSlot;
    private final int nameShift;
    /**
     * Merging keyword literals into a field's automaton multiplies its table (more states times more char classes);
     * above this size the field keeps its own literals only and its value is scanned again for keywords.
     */
    private static final long MERGED_TABLE_BUDGET = 1 << 20;

    /** per field: its atoms' literals, plus every keyword literal where {@link #findsKeywords} */
    private final AhoCorasick[] automata;
    private final boolean[] findsKeywords;
    /** per field, per pattern of its automaton: the owners of that atom (candidate bits, see CandidateSet#bit) */
    private final int[][][] rulesByPattern;
    /**
     * per field: the owners of its own atoms (keyword atoms not included), which decide whether a route scans the
     * field; otherwise every field would be scanned by name whenever a keyword rule is routed, although the keyword
     * pass reaches the same values without looking each field up
     */
    private final int[][][] fieldRulesByPattern;
    /** the keyword literals, for the values of fields without their own automaton; null when there are none */
    private final AhoCorasick keywordAutomaton;
    private final int[][] keywordRulesByPattern;
    private final boolean[] always;
    private final boolean[] hasKeywordAtom;
    /** bitset of the rules whose condition has at most one clause: their second clause holds by default */
    private final long[] oneClause;

    private RulePrefilter(List<NecessaryCondition> conditions) {
        this.rules = conditions.size();
        this.always = new boolean[rules];
        this.hasKeywordAtom = new boolean[rules];
        this.oneClause = new long[CandidateSet.words(rules)];
        // field -> literal -> owners (as candidate bits: rule, in the bitset of its clause); sorted so that the
        // automata do not depend on hash order
        Map<String, Map<String, TreeSet<Integer>>> atoms = new TreeMap<>();
        Map<String, TreeSet<Integer>> keywords = new TreeMap<>();
        for (int rule = 0; rule < rules; rule++) {
            NecessaryCondition condition = conditions.get(rule);
            always[rule] = condition.isAlways();
            List<Set<LiteralAtom>> clauses = condition.clauses();
            if (clauses.size() <= 1) {
                oneClause[rule >>> 6] |= 1L << rule;
            }
            for (int clause = 0; clause < clauses.size(); clause++) {
                int bit = CandidateSet.bit(rule, clause, rules);
                for (LiteralAtom atom : clauses.get(clause)) {
                    boolean keyword = atom.field().equals(LiteralAtom.ANY_FIELD);
                    hasKeywordAtom[rule] |= keyword;
                    (keyword ? keywords : atoms.computeIfAbsent(atom.field().intern(), f -> new TreeMap<>()))
                            .computeIfAbsent(atom.literal(), l -> new TreeSet<>()).add(bit);
                }
            }
            int excludedBit = CandidateSet.bit(rule, CandidateSet.EXCLUDED, rules);
            for (LiteralAtom atom : condition.excluding()) { // named fields only, never keywords
                atoms.computeIfAbsent(atom.field().intern(), f -> new TreeMap<>())
                        .computeIfAbsent(atom.literal(), l -> new TreeSet<>()).add(excludedBit);
            }
        }
        this.fields = atoms.keySet().toArray(String[]::new); // interned: found by identity
        int slots = Integer.highestOneBit(Math.max(4, fields.length)) * 8;
        this.nameSlots = new String[slots];
        this.indexOfSlot = new int[slots];
        this.nameShift = InternedNames.shift(slots);
        for (int f = 0; f < fields.length; f++) {
            indexOfSlot[InternedNames.add(nameSlots, nameShift, fields[f])] = f;
        }
        this.automata = new AhoCorasick[fields.length];
        this.findsKeywords = new boolean[fields.length];
        this.rulesByPattern = new int[fields.length][][];
        this.fieldRulesByPattern = new int[fields.length][][];
        for (int f = 0; f < fields.length; f++) {
            Map<String, TreeSet<Integer>> own = atoms.get(fields[f]);
            Map<String, TreeSet<Integer>> merged = new TreeMap<>(own);
            keywords.forEach((literal, owners) -> merged.merge(literal, owners, (a, b) -> {
                TreeSet<Integer> union = new TreeSet<>(a);
                union.addAll(b);
                return union;
            }));
            List<String> mergedLiterals = new ArrayList<>(merged.keySet());
            findsKeywords[f] = !keywords.isEmpty() && AhoCorasick.tableBytes(mergedLiterals) <= MERGED_TABLE_BUDGET;
            automata[f] = AhoCorasick.of(findsKeywords[f] ? mergedLiterals : new ArrayList<>(own.keySet()));
            rulesByPattern[f] = owners(findsKeywords[f] ? merged : own);
            fieldRulesByPattern[f] = owners(own);
        }
        this.keywordAutomaton = keywords.isEmpty() ? null : AhoCorasick.of(new ArrayList<>(keywords.keySet()));
        this.keywordRulesByPattern = owners(keywords);
    }

    private static int[][] owners(Map<String, TreeSet<Integer>> literals) {
        return literals.values().stream()
                .map(owners -> owners.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
    }

    /** @param conditions the condition of every rule, by rule index */
    public static RulePrefilter of(List<NecessaryCondition> conditions) {
        return new RulePrefilter(conditions);
    }

    /** A fresh candidate set sized for these rules; one per thread, reused for every event. */
    public CandidateSet newCandidateSet() {
        return new CandidateSet(this, rules, fields.length, oneClause);
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
        boolean keywords = false;
        for (int rule : routed) {
            mask[rule >>> 6] |= 1L << rule;
            if (always[rule]) {
                alwaysMask[rule >>> 6] |= 1L << rule;
            }
            keywords |= hasKeywordAtom[rule];
        }
        long[] scanned = new long[(fields.length + 63) >>> 6];
        for (int f = 0; f < fields.length; f++) {
            if (ownsAny(fieldRulesByPattern[f], mask)) {
                scanned[f >>> 6] |= 1L << f;
            }
        }
        return new RouteFilter(routed, mask, alwaysMask, scanned, keywords);
    }

    private boolean ownsAny(int[][] owners, long[] mask) {
        for (int[] bits : owners) {
            for (int bit : bits) {
                int rule = CandidateSet.ruleOf(bit, rules);
                if ((mask[rule >>> 6] & 1L << rule) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Fills the candidate set with the route's rules that may match the event, in one pass over the event's fields
     * (see {@link #scanField}).
     */
    public void select(FieldSource event, RouteFilter route, CandidateSet candidates) {
        candidates.clear();
        candidates.scanFields(event, route);
        candidates.restrictTo(route);
    }

    /**
     * One field of the event: a field the route scans goes through its own automaton, which finds keywords too
     * when they are merged into it; any other value, or when they are not, through the keyword automaton if the
     * route has keyword rules.
     */
    void scanField(CandidateSet candidates, RouteFilter route, String name, Object value) {
        if (value == null) {
            return;
        }
        int f = fieldIndex(name);
        if (f >= 0 && route.scans(f)) {
            candidates.scan(automata[f], rulesByPattern[f], value, f);
            if (findsKeywords[f]) {
                return;
            }
        }
        if (route.keywords()) {
            candidates.scanKeywords(keywordAutomaton, keywordRulesByPattern, value);
        }
    }

    /** The index of the named field in {@link #fields}, or -1. */
    private int fieldIndex(String name) {
        int slot = InternedNames.find(nameSlots, nameShift, name);
        return slot < 0 ? -1 : indexOfSlot[slot];
    }

    /** Per indexed field (keywords as ""): the size of its automaton's transition table in bytes, for reports. */
    public Map<String, Long> tableBytes() {
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (int f = 0; f < fields.length; f++) {
            bytes.put(fields[f], automata[f].tableBytes());
        }
        if (keywordAutomaton != null) {
            bytes.put(LiteralAtom.ANY_FIELD, keywordAutomaton.tableBytes());
        }
        return bytes;
    }
}
