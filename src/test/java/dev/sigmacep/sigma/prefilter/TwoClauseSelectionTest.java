package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.testing.TestEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A rule with two clauses is a candidate only when an atom of each was found. */
class TwoClauseSelectionTest {
    private static final NecessaryCondition HANDLE_KATZ = NecessaryCondition.allOf(List.of(
            NecessaryCondition.atom(LiteralAtom.of("TargetImage", "\\lsass.exe"), false),
            NecessaryCondition.atom(LiteralAtom.of("GrantedAccess", "0x1440"), true)));
    private static final NecessaryCondition ONE_CLAUSE =
            NecessaryCondition.atom(LiteralAtom.of("TargetImage", "\\lsass.exe"), false);

    private static Set<Integer> candidates(Map<String, Object> fields) {
        RulePrefilter prefilter = RulePrefilter.of(List.of(HANDLE_KATZ, ONE_CLAUSE, NecessaryCondition.ALWAYS));
        RouteFilter route = prefilter.forRoute(new int[]{0, 1, 2});
        CandidateSet set = prefilter.newCandidateSet();
        prefilter.select(new TestEvent(fields), route, set);
        List<Integer> rules = new ArrayList<>();
        for (int w = 0; w < set.wordCount(); w++) {
            for (long word = set.word(w); word != 0; word &= word - 1) {
                rules.add(64 * w + Long.numberOfTrailingZeros(word));
            }
        }
        return Set.copyOf(rules);
    }

    @Test
    void bothClausesMustBeFound() {
        assertThat(HANDLE_KATZ.clauses()).hasSize(2);
        assertThat(candidates(Map.of("TargetImage", "C:\\Windows\\System32\\lsass.exe", "GrantedAccess", "0x1440")))
                .containsExactlyInAnyOrder(0, 1, 2);
        assertThat(candidates(Map.of("TargetImage", "C:\\Windows\\System32\\lsass.exe", "GrantedAccess", "0x1010")))
                .containsExactlyInAnyOrder(1, 2);
        assertThat(candidates(Map.of("TargetImage", "C:\\Windows\\explorer.exe", "GrantedAccess", "0x1440")))
                .containsExactlyInAnyOrder(2);
    }
}
