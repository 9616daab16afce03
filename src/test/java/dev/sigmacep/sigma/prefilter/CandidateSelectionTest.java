package dev.sigmacep.sigma.prefilter;

import dev.sigmacep.testing.TestEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A rule is a candidate when an atom of each of its clauses was found and none of its excluding atoms. */
class CandidateSelectionTest {
    private static final NecessaryCondition HANDLE_KATZ = NecessaryCondition.allOf(List.of(
            NecessaryCondition.atom(LiteralAtom.of("TargetImage", "\\lsass.exe"), false),
            NecessaryCondition.atom(LiteralAtom.of("GrantedAccess", "0x1440"), true)));
    private static final NecessaryCondition ONE_CLAUSE =
            NecessaryCondition.atom(LiteralAtom.of("TargetImage", "\\lsass.exe"), false);

    /** {@code ImageLoaded|endswith: '\\version.dll'} and not {@code ImageLoaded|contains: 'C:\\Windows\\System32\\'} */
    private static final NecessaryCondition SIDELOAD = NecessaryCondition.allOf(List.of(
            NecessaryCondition.atom(LiteralAtom.of("ImageLoaded", "\\version.dll"), false),
            NecessaryCondition.ALGEBRA.not(NecessaryCondition.atom(LiteralAtom.of("ImageLoaded", "c:\\windows\\system32\\"),
                    false, Set.of(LiteralAtom.of("ImageLoaded", "C:\\Windows\\System32\\"))))));

    private static Set<Integer> candidates(Map<String, Object> fields) {
        RulePrefilter prefilter = RulePrefilter.of(List.of(HANDLE_KATZ, ONE_CLAUSE, NecessaryCondition.ALWAYS, SIDELOAD));
        RouteFilter route = prefilter.forRoute(new int[]{0, 1, 2, 3});
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

    @Test
    void anExcludingAtomFoundRemovesTheRule() {
        assertThat(SIDELOAD.excluding()).hasSize(1);
        assertThat(candidates(Map.of("ImageLoaded", "C:\\Users\\bob\\version.dll"))).containsExactlyInAnyOrder(2, 3);
        assertThat(candidates(Map.of("ImageLoaded", "c:\\windows\\SYSTEM32\\version.dll"))).containsExactlyInAnyOrder(2);
    }
}
