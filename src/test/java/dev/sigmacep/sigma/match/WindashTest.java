package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.sigmacep.sigma.match.TestEvent.compile;
import static dev.sigmacep.sigma.match.TestEvent.matches;
import static org.assertj.core.api.Assertions.assertThat;

/** windash: each of - / – — ― in the value matches any of the five. */
class WindashTest {

    @ParameterizedTest
    @ValueSource(strings = {"-", "/", "\u2013", "\u2014", "\u2015"})
    void everyDashOfTheValueMatchesEveryDashVariant(String dash) throws Exception {
        EventPredicate predicate = compile("CommandLine|contains|windash", " -exec bypass");
        assertThat(predicate.test(TestEvent.of("CommandLine", "powershell " + dash + "Exec Bypass"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "\u2013", "\u2014", "\u2015"})
    void dashVariantsInTheValueAreInterchangeableToo(String dashInRule) throws Exception {
        assertThat(matches("CommandLine|windash|contains", " " + dashInRule + "s ", "shutdown -s -t 0")).isTrue();
    }

    @Test
    void everyDashOfTheValueIsExpandedIndependently() throws Exception {
        EventPredicate predicate = compile("CommandLine|contains|windash", "-a -b");
        assertThat(predicate.test(TestEvent.of("CommandLine", "x /a \u2014b"))).isTrue();
        assertThat(predicate.test(TestEvent.of("CommandLine", "x -a +b"))).isFalse();
        assertThat(predicate.test(TestEvent.of("CommandLine", "x -a  b"))).isFalse();
    }

    @Test
    void withoutWindashDashesAreLiteral() throws Exception {
        assertThat(matches("CommandLine|contains", " -s ", "shutdown /s /t 0")).isFalse();
    }

    @Test
    void windashAppliesToPlainAndEndswithValues() throws Exception {
        assertThat(matches("CommandLine|endswith|windash", " -quiet", "setup.exe /quiet")).isTrue();
        assertThat(matches("CommandLine|windash", "-x", "/x")).isTrue();
        assertThat(matches("CommandLine|windash", "-x", "x/x")).isFalse();
    }
}
