package dev.sigmacep.event;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WindowsCommandLine} against a plain character-by-character reading of Microsoft's rules for splitting a
 * command line ("Parsing C command-line arguments", the runtime since 2008, which CommandLineToArgvW follows for
 * everything but {@code ""} inside quotes), on random lines of the characters that matter: quotes, backslashes, spaces
 * and tabs, between letters.
 */
class WindowsCommandLinePropertiesTest {

    @Property(tries = 5000)
    void splitsAsTheRulesSay(@ForAll @StringLength(max = 40) @Chars({'a', 'b', ' ', '\t', '"', '\\'}) String line) {
        List<String> expected = reference(line);
        assertThat(WindowsCommandLine.split(line)).as("argv of [%s]", line).isEqualTo(expected);
        assertThat(WindowsCommandLine.argumentCount(line)).as("arguments of [%s]", line).isEqualTo(expected.size() - 1);
    }

    @Property(tries = 1000)
    void anyTextSplitsAsTheRulesSay(@ForAll @StringLength(max = 60) String line) {
        assertThat(WindowsCommandLine.split(line)).as("argv of [%s]", line).isEqualTo(reference(line));
    }

    /** The reference itself, on the documented examples, so that agreeing with it means something. */
    @Example
    void theReferenceGivesMicrosoftsExamples() {
        assertThat(reference("p \"a b c\" d e")).containsExactly("p", "a b c", "d", "e");
        assertThat(reference("p \"ab\\\"c\" \"\\\\\" d")).containsExactly("p", "ab\"c", "\\", "d");
        assertThat(reference("p a\\\\\\b d\"e f\"g h")).containsExactly("p", "a\\\\\\b", "de fg", "h");
        assertThat(reference("p a\\\\\\\"b c d")).containsExactly("p", "a\\\"b", "c", "d");
        assertThat(reference("p a\\\\\\\\\"b c\" d e")).containsExactly("p", "a\\\\b c", "d", "e");
        assertThat(reference("p a\"b\"\" c d")).containsExactly("p", "ab\" c d");
        assertThat(reference("\"C:\\Program Files\\x.exe\"")).containsExactly("C:\\Program Files\\x.exe");
        assertThat(reference("\"C:\\x.exe\"arg")).containsExactly("C:\\x.exe", "arg");
        assertThat(reference("p \"\"")).containsExactly("p", "");
        assertThat(reference("")).containsExactly("");
    }

    /**
     * argv[0] runs to the next quote when it starts with one (no escapes), else to the first blank. After it: blanks
     * outside quotes end an argument; 2n backslashes before a quote are n backslashes and the quote toggles quoting,
     * 2n+1 are n backslashes and a literal quote; {@code ""} inside quotes is a literal quote; other backslashes are
     * literal.
     */
    static List<String> reference(String line) {
        List<String> argv = new ArrayList<>();
        int i = 0;
        int n = line.length();
        StringBuilder program = new StringBuilder();
        if (n > 0 && line.charAt(0) == '"') {
            for (i = 1; i < n && line.charAt(i) != '"'; i++) program.append(line.charAt(i));
            if (i < n) i++;
        } else {
            for (; i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t'; i++) program.append(line.charAt(i));
        }
        argv.add(program.toString());

        StringBuilder argument = null; // null between arguments
        boolean quoted = false;
        int backslashes = 0;
        for (; i < n; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                backslashes++;
                continue;
            }
            if (argument == null && (c != ' ' && c != '\t' || quoted)) argument = new StringBuilder();
            if (c == '"') {
                argument.append("\\".repeat(backslashes / 2));
                if (backslashes % 2 == 1) {
                    argument.append('"');
                } else if (quoted && i + 1 < n && line.charAt(i + 1) == '"') {
                    argument.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
                backslashes = 0;
                continue;
            }
            if (backslashes > 0) {
                if (argument == null) argument = new StringBuilder();
                argument.append("\\".repeat(backslashes));
                backslashes = 0;
            }
            if ((c == ' ' || c == '\t') && !quoted) {
                if (argument != null) argv.add(argument.toString());
                argument = null;
            } else {
                argument.append(c);
            }
        }
        if (backslashes > 0) {
            if (argument == null) argument = new StringBuilder();
            argument.append("\\".repeat(backslashes));
        }
        if (argument != null) argv.add(argument.toString());
        return argv;
    }
}
