package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.sigma.SigmaRuleException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** expand: %name% placeholders substituted from the MatchContext. */
class ExpandTest {
    private static final MatchContext CONTEXT = new MatchContext(Map.of(
            "Administrators", List.of("admin", "root*"),
            "Domains", List.of("corp", "lab"),
            "Empty", List.of()));

    private static boolean matches(String fieldSpec, String ruleValue, String eventValue) throws SigmaRuleException {
        String field = fieldSpec.split("\\|", -1)[0];
        return TestEvent.compile(fieldSpec, ruleValue, CONTEXT).test(TestEvent.of(field, eventValue));
    }

    @Test
    void placeholderMatchesAnyOfItsValuesWhichArePatterns() throws Exception {
        assertThat(matches("User|expand", "%Administrators%", "ADMIN")).isTrue();
        assertThat(matches("User|expand", "%Administrators%", "rootkit")).isTrue();
        assertThat(matches("User|expand", "%Administrators%", "bob")).isFalse();
    }

    @Test
    void placeholderInsideTextAndWithPositionModifiers() throws Exception {
        // a backslash before a placeholder must be doubled, as \% would be a plain percent sign
        assertThat(matches("User|expand", "%Domains%\\\\%Administrators%", "lab\\admin")).isTrue();
        assertThat(matches("User|expand", "%Domains%\\\\%Administrators%", "lab\\bob")).isFalse();
        assertThat(matches("User|expand", "%Domains%\\%Administrators%", "lab%Administrators%")).isTrue();
        assertThat(matches("CommandLine|contains|expand", "net user %Administrators%", "cmd /c net user admin /del"))
                .isTrue();
    }

    @Test
    void escapedPercentIsPlain() throws Exception {
        // the specification's example: \%plain%name% is the plain text %plain followed by the placeholder %name%
        assertThat(matches("Path|expand", "\\%plain%Domains%", "%plaincorp")).isTrue();
        assertThat(matches("Path|expand", "\\%Domains\\%", "%Domains%")).isTrue();
    }

    @Test
    void withoutExpandPlaceholdersAreLiteral() throws Exception {
        assertThat(matches("User", "%Administrators%", "%administrators%")).isTrue();
        assertThat(matches("User", "%Administrators%", "admin")).isFalse();
    }

    @Test
    void placeholderWithAnEmptyValueListMatchesNothing() throws Exception {
        EventPredicate predicate = TestEvent.compile("User|expand", "%Empty%", CONTEXT);
        assertThat(predicate.test(TestEvent.of("User", ""))).isFalse();
    }

    @Test
    void missingPlaceholderRejectsTheRule() {
        assertThatThrownBy(() -> TestEvent.compile("User|expand", "%Admins%", CONTEXT))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("placeholder %Admins% in 'User|expand' has no value in the placeholder configuration");
        assertThatThrownBy(() -> TestEvent.compile("User|expand", "%Admins%", MatchContext.empty()))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("placeholder %Admins% in 'User|expand' has no value in the placeholder configuration");
    }
}
