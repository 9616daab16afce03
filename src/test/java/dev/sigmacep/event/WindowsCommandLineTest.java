package dev.sigmacep.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class WindowsCommandLineTest {

    @Test
    void quotedProgramAloneHasNoArguments() {
        assertThat(WindowsCommandLine.argumentCount("\"C:\\Windows\\System32\\wermgr.exe\"")).isZero();
        assertThat(WindowsCommandLine.argumentCount("\"C:\\Windows\\System32\\wermgr.exe\"   ")).isZero();
        assertThat(WindowsCommandLine.argumentCount("\"C:\\Windows\\System32\\wermgr.exe\" \t ")).isZero();
        assertThat(WindowsCommandLine.split("\"C:\\Windows\\System32\\wermgr.exe\"  "))
                .containsExactly("C:\\Windows\\System32\\wermgr.exe");
    }

    @Test
    void unquotedProgramWithArguments() {
        assertThat(WindowsCommandLine.argumentCount("C:\\Windows\\system32\\wermgr.exe -upload")).isEqualTo(1);
        // argc is 6; the count is of arguments after the program
        assertThat(WindowsCommandLine.argumentCount("WerFault.exe -u -p 1234 -s 456")).isEqualTo(5);
        assertThat(WindowsCommandLine.split("WerFault.exe -u -p 1234 -s 456"))
                .containsExactly("WerFault.exe", "-u", "-p", "1234", "-s", "456");
        assertThat(WindowsCommandLine.argumentCount("C:\\Windows\\System32\\WerFault.exe")).isZero();
    }

    @Test
    void emptyAndBlankLinesHaveNoArguments() {
        assertThat(WindowsCommandLine.argumentCount("")).isZero();
        assertThat(WindowsCommandLine.argumentCount("   ")).isZero();
        assertThat(WindowsCommandLine.argumentCount("\t")).isZero();
        assertThat(WindowsCommandLine.split("")).containsExactly("");
        // a leading blank makes argv[0] empty; what follows are arguments (CommandLineToArgvW does the same)
        assertThat(WindowsCommandLine.split(" a b")).containsExactly("", "a", "b");
    }

    @Test
    void quotedProgramPathWithSpaces() {
        String line = "\"C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe\" --type=renderer --lang=en-US";
        assertThat(WindowsCommandLine.split(line)).containsExactly(
                "C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe", "--type=renderer", "--lang=en-US");
    }

    @Test
    void programNameTakesNoEscapes() {
        // backslash before the closing quote of argv[0] is literal: argv[0] ends at the first quote
        assertThat(WindowsCommandLine.split("\"C:\\dir\\\" x")).containsExactly("C:\\dir\\", "x");
    }

    @Test
    void characterRightAfterClosingQuoteOfProgramStartsAnArgument() {
        assertThat(WindowsCommandLine.split("\"C:\\x.exe\"abc")).containsExactly("C:\\x.exe", "abc");
    }

    @Test
    void unbalancedQuoteInProgramRunsToTheEnd() {
        assertThat(WindowsCommandLine.split("\"C:\\Program Files\\x.exe -a -b")).containsExactly("C:\\Program Files\\x.exe -a -b");
        assertThat(WindowsCommandLine.argumentCount("\"C:\\Program Files\\x.exe -a")).isZero();
    }

    @Test
    void unbalancedQuoteInArgumentRunsToTheEnd() {
        assertThat(WindowsCommandLine.split("cmd.exe /c \"echo a b")).containsExactly("cmd.exe", "/c", "echo a b");
    }

    @Test
    void emptyQuotedArgumentCounts() {
        assertThat(WindowsCommandLine.split("x.exe \"\" b")).containsExactly("x.exe", "", "b");
        assertThat(WindowsCommandLine.argumentCount("x.exe \"\"")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            // line after the program           | the single argument it yields
            "x a\\\"b                          | a\"b",        // \" is a literal quote
            "x a\\\\\"b c\"                    | a\\b c",      // \\" -> one backslash, quote opens
            "x a\\\\\\\"b                      | a\\\"b",      // \\\" -> backslash and literal quote
            "x a\\\\b                          | a\\\\b",      // backslashes not before a quote stay
            "x \"a\"\"b\"                      | a\"b",        // "" inside quotes is a literal quote
            "x \"a b\"c                        | a bc",        // quoting joins with what follows
            "x \"C:\\dir\\\\\"                 | C:\\dir\\",   // 2n backslashes before the closing quote
    })
    void backslashAndQuoteRules(String line, String expected) {
        assertThat(WindowsCommandLine.split(line.strip())).containsExactly("x", expected.strip());
    }

    @Test
    void tabsSeparateArguments() {
        assertThat(WindowsCommandLine.split("x\ta\t\tb")).containsExactly("x", "a", "b");
    }

    @Test
    void realRundllFilterLine() {
        assertThat(WindowsCommandLine.argumentCount(
                "C:\\Windows\\system32\\rundll32.exe C:\\Windows\\system32\\WerConCpl.dll LaunchErcApp -queuereporting"))
                .isEqualTo(3);
    }

    @Test
    void countAgreesWithSplitOnRandomLines() {
        Random random = new Random(42);
        char[] alphabet = {'a', ' ', '\t', '"', '\\', 'b', ' '};
        for (int k = 0; k < 20_000; k++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(20);
            for (int j = 0; j < len; j++) sb.append(alphabet[random.nextInt(alphabet.length)]);
            String line = sb.toString();
            assertThat(WindowsCommandLine.argumentCount(line)).as(line).isEqualTo(WindowsCommandLine.split(line).size() - 1);
        }
    }
}
