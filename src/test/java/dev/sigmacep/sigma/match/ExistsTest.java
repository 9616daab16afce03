package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.sigma.SigmaRuleException;
import org.junit.jupiter.api.Test;

import static dev.sigmacep.sigma.match.TestEvent.compile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** exists: presence of the field, whatever its value. */
class ExistsTest {

    @Test
    void existsTrueMatchesAnyPresentValue() throws Exception {
        EventPredicate exists = compile("PasswordLastSet|exists", true);
        assertThat(exists.test(TestEvent.of("PasswordLastSet", ""))).isTrue();
        assertThat(exists.test(TestEvent.of("PasswordLastSet", "%%1794"))).isTrue();
        assertThat(exists.test(TestEvent.of("EventID", 4738))).isFalse();
    }

    @Test
    void existsFalseMatchesAnAbsentField() throws Exception {
        EventPredicate absent = compile("PasswordLastSet|exists", false);
        assertThat(absent.test(TestEvent.of("EventID", 4738))).isTrue();
        assertThat(absent.test(TestEvent.of("PasswordLastSet", "x"))).isFalse();
    }

    @Test
    void existsNeedsABooleanAloneOnAField() {
        assertThatThrownBy(() -> compile("User|exists", "yes"))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("modifier 'exists' in 'User|exists' needs the value true or false");
        assertThatThrownBy(() -> compile("User|exists|neq", true))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("modifier 'neq' cannot be combined with 'exists' in 'User|exists|neq'");
        assertThatThrownBy(() -> compile("User|contains|exists", true))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("modifier 'contains' cannot be combined with 'exists' in 'User|contains|exists'");
        assertThatThrownBy(() -> compile("|exists", true))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage("modifier 'exists' needs a field name, in '|exists'");
    }
}
