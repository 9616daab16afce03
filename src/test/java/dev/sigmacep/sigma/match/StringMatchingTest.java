package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

import static dev.sigmacep.sigma.match.TestEvent.compile;
import static dev.sigmacep.sigma.match.TestEvent.matches;
import static org.assertj.core.api.Assertions.assertThat;

/** Plain values, value lists, null, case and the string-form comparison of numbers and booleans. */
class StringMatchingTest {

    @Test
    void plainValueMatchesTheWholeValueCaseInsensitively() throws Exception {
        assertThat(matches("Image", "C:\\Windows\\System32\\cmd.exe", "c:\\windows\\system32\\CMD.EXE")).isTrue();
        assertThat(matches("Image", "cmd.exe", "C:\\Windows\\System32\\cmd.exe")).isFalse();
    }

    @Test
    void valueListIsOr() throws Exception {
        assertThat(matches("EventID", List.of(517, 1102), 1102)).isTrue();
        assertThat(matches("EventID", List.of(517, 1102), 4624)).isFalse();
    }

    @Test
    void emptyStringMatchesOnlyAnEmptyValue() throws Exception {
        assertThat(matches("Description", "", "")).isTrue();
        assertThat(matches("Description", "", " ")).isFalse();
        assertThat(matches("Description", "", "x")).isFalse();
    }

    @Test
    void nullMatchesAnAbsentOrNullField() throws Exception {
        EventPredicate absent = compile("PasswordLastSet", null);
        assertThat(absent.test(TestEvent.of("EventID", 4738))).isTrue();
        assertThat(absent.test(TestEvent.of("PasswordLastSet", null))).isTrue();
        assertThat(absent.test(TestEvent.of("PasswordLastSet", ""))).isFalse();
    }

    @Test
    void absentFieldMatchesNoValue() throws Exception {
        EventPredicate image = compile("Image|contains", "cmd");
        assertThat(image.test(TestEvent.of("CommandLine", "cmd"))).isFalse();
        assertThat(compile("Image|contains", "").test(TestEvent.of("CommandLine", "cmd"))).isFalse();
    }

    @Test
    void integerRuleValueMatchesIntegerLongAndStringEventValues() throws Exception {
        assertThat(matches("EventID", 4688, 4688)).isTrue();
        assertThat(matches("EventID", 4688, 4688L)).isTrue();
        assertThat(matches("EventID", 4688, "4688")).isTrue();
        assertThat(matches("EventID", 4688, 46880L)).isFalse();
        assertThat(matches("EventID", "4688", 4688L)).isTrue();
        assertThat(matches("EventID", "04688", 4688L)).isFalse();
        assertThat(matches("EventID", "46?8", 4688L)).isTrue();
        assertThat(matches("EventID|startswith", "46", 4688)).isTrue();
        assertThat(matches("Offset", -5, -5L)).isTrue();
        assertThat(matches("Offset", "+5", 5L)).isFalse();
    }

    @Test
    void booleanAndDoubleValuesCompareByStringForm() throws Exception {
        assertThat(matches("Enabled", true, true)).isTrue();
        assertThat(matches("Enabled", true, "True")).isTrue();
        assertThat(matches("Enabled", "false", false)).isTrue();
        assertThat(matches("Enabled", true, false)).isFalse();
        assertThat(matches("Ratio", 1.5, 1.5)).isTrue();
        assertThat(matches("Ratio", "1.5", 1.5)).isTrue();
    }

    @Test
    void bareYamlDateRuleValueMatchesItsIsoForm() throws Exception {
        Date date = Date.from(LocalDate.of(2022, 10, 14).atStartOfDay(ZoneOffset.UTC).toInstant());
        assertThat(matches("Date", date, "2022-10-14")).isTrue();
        assertThat(matches("Date|startswith", date, "2022-10-14T08:00:00Z")).isTrue();
        Date timestamp = Date.from(Instant.parse("2022-10-14T08:30:00Z"));
        assertThat(matches("Time", timestamp, "2022-10-14T08:30:00Z")).isTrue();
    }

    @Test
    void listEventValueMatchesWhenAnyElementMatches() throws Exception {
        assertThat(matches("Tags|endswith", ".exe", List.of("a.dll", "b.EXE"))).isTrue();
        assertThat(matches("Tags|endswith", ".exe", List.of("a.dll", "b.sys"))).isFalse();
        assertThat(matches("Ports", 445, List.of(139L, 445L))).isTrue();
    }

    @Test
    void containsStartswithEndswith() throws Exception {
        assertThat(matches("CommandLine|contains", "-enc", "powershell.exe -ENC abc")).isTrue();
        assertThat(matches("CommandLine|contains", "-enc", "powershell.exe")).isFalse();
        assertThat(matches("Image|startswith", "C:\\Users\\", "c:\\users\\bob\\x.exe")).isTrue();
        assertThat(matches("Image|startswith", "C:\\Users\\", "D:\\c:\\users\\")).isFalse();
        assertThat(matches("Image|endswith", "\\cmd.exe", "C:\\Windows\\System32\\cmd.exe")).isTrue();
        assertThat(matches("Image|endswith", "\\cmd.exe", "C:\\Windows\\System32\\cmd.exe.bak")).isFalse();
    }

    @Test
    void wildcardsStillApplyInsidePositionModifiers() throws Exception {
        assertThat(matches("CommandLine|contains", "reg*add", "cmd /c REG.exe ADD HKLM")).isTrue();
        assertThat(matches("CommandLine|contains", "reg*add", "cmd /c add reg")).isFalse();
        assertThat(matches("Image|endswith", "\\prog?.exe", "C:\\progA.exe")).isTrue();
        assertThat(matches("Image|startswith", "C:\\\\*\\temp\\", "C:\\users\\temp\\x")).isTrue();
    }

    @Test
    void allMakesTheListAnd() throws Exception {
        EventPredicate all = compile("CommandLine|contains|all", List.of("-nop", "-w hidden"));
        assertThat(all.test(TestEvent.of("CommandLine", "powershell -w hidden x"))).isFalse();
        assertThat(all.test(TestEvent.of("CommandLine", "powershell -W Hidden -NoP x"))).isTrue();
        assertThat(all.test(TestEvent.of("CommandLine", "powershell -nop x"))).isFalse();
    }

    @Test
    void allOverAListEventValueLetsEachValueMatchAnyElement() throws Exception {
        EventPredicate all = compile("Args|all", List.of("a", "b"));
        assertThat(all.test(TestEvent.of("Args", List.of("b", "a")))).isTrue();
        assertThat(all.test(TestEvent.of("Args", List.of("a", "c")))).isFalse();
    }

    @Test
    void casedMatchesCaseSensitively() throws Exception {
        assertThat(matches("CommandLine|contains|cased", "-EncodedCommand", "x -EncodedCommand y")).isTrue();
        assertThat(matches("CommandLine|contains|cased", "-EncodedCommand", "x -encodedcommand y")).isFalse();
        assertThat(matches("User|cased", "SYSTEM", "system")).isFalse();
        assertThat(matches("User|cased", "SYSTEM", "SYSTEM")).isTrue();
    }

    @Test
    void caseInsensitiveMatchingCoversNonAsciiLetters() throws Exception {
        assertThat(matches("Path|contains", "ÄRGER", "c:\\ärger\\x")).isTrue();
    }

    @Test
    void wildcardsMatchAcrossLineBreaks() throws Exception {
        assertThat(matches("ScriptBlockText|contains", "iex*download", "IEX (\nNew-Object).DownloadString")).isTrue();
    }

    @Test
    void neqNegatesTheValueList() throws Exception {
        assertThat(matches("User|neq", "SYSTEM", "bob")).isTrue();
        assertThat(matches("User|neq", "SYSTEM", "system")).isFalse();
        assertThat(matches("User|neq", List.of("SYSTEM", "LOCAL SERVICE"), "local service")).isFalse();
        assertThat(matches("Image|endswith|neq", "\\cmd.exe", "C:\\x\\powershell.exe")).isTrue();
    }

    @Test
    void neqWithNullMeansThePresentField() throws Exception {
        EventPredicate present = compile("User|neq", null);
        assertThat(present.test(TestEvent.of("User", "bob"))).isTrue();
        assertThat(present.test(TestEvent.of("Image", "x"))).isFalse();
    }

    @Test
    void searchesAndAnchoredMatchesAgreeOnNonAsciiCaseEquivalents() throws Exception {
        // KELVIN SIGN and LATIN SMALL LETTER LONG S are equal ignoring case to k and s
        assertThat(matches("Image|contains", "kslogger", "C:\\x\\\u212A\u017Flogger.exe")).isTrue();
        assertThat(matches("Image", "kslogger", "\u212A\u017Flogger")).isTrue();
        assertThat(matches("Image|contains|cased", "kslogger", "C:\\x\\\u212A\u017Flogger.exe")).isFalse();
    }
}
