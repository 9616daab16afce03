package dev.sigmacep.sigma.text;

import com.google.re2j.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The literal a regex requires, which lets values skip RE2/J; it must never reject a value the regex matches. */
class RequiredLiteralTest {

    @ParameterizedTest(name = "{0} requires ''{1}''")
    @CsvSource(delimiterString = " => ", quoteCharacter = '"', value = {
            "\\\\Windows\\\\System32\\\\[a-zA-Z0-9]{8}\\.tmp$ => \\Windows\\System32\\",
            "\\\\sessionresume_[a-zA-Z]{8}$ => \\sessionresume_",
            "https?://0[0-9]{3,11} => http",
            "(?i)\\$\\{`?e`?n`?v`?:`?p`?a`?t`?h`?\\} => ${",
            "ipconfig\\s+/all => ipconfig",
            "abc?d => ab",
            "ab{0,3}cd => cd",
            "ab{2}cd => ab",
            "x(?:abc)*yz => yz",
            "[:x]abc => abc",
            "[[:alpha:]]]xyz => ]xyz",
            "(^0oa.*|[a-z]+@[a-z]+) => \"\"",
            "foo|barbaz => \"\"",
            "\\x41BCD => \"\"",
            "abc\\QDEFG\\E => abc",
            "\\+.*\\+.*\\+ => +",
            "a{,3}b => ,3}b",
    })
    void literalOfSigmaHqStyleRegexes(String regex, String literal) {
        assertThat(RequiredLiteral.of(regex.strip())).isEqualTo(literal.strip());
    }

    @ParameterizedTest(name = "{0} requires {1} in order")
    @CsvSource(delimiterString = " => ", quoteCharacter = '\'', value = {
            // SigmaHQ posh_ps_invoke_obfuscation_via_stdin: "set" alone is in most script blocks, "&&" twice is not
            "(?i)(set).*&&\\s?set.*(environment|invoke|\\$\\{?input).*&&.*\" => &&|set|&&|\"",
            "cmd.{0,5}(?:/c|/r).+powershell.+(?:\\$?\\{?input\\}?|noexit).+\" => cmd|powershell|\"",
            "ab?c{2}d*e => a|c|e",
            "abc\\QDEFG\\E => abc",
            "foo|barbaz => ''",
            "[a-z]+ => ''",
    })
    void sequenceOfTopLevelLiterals(String regex, String literals) {
        List<String> expected = literals.isEmpty() ? List.of() : List.of(literals.split("\\|"));
        assertThat(RequiredLiteral.sequence(regex)).isEqualTo(expected);
    }

    @Test
    void neverRejectsAValueTheRegexMatches() {
        Random random = new Random(99);
        String[] atoms = {"a", "b", "A", "\\.", ".", "[ab]", "[^a]", "\\d", "\\s", "(a|b)", "(?:ab)", "(?i)", "^", "$",
                "\\b", "[[:alpha:]]", "]", "}", "{", "1"};
        String[] quantifiers = {"", "", "", "?", "*", "+", "{0,2}", "{1,2}", "{2}", "??", "+?"};
        int checked = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder regex = new StringBuilder();
            for (int n = 1 + random.nextInt(6); n > 0; n--) {
                regex.append(atoms[random.nextInt(atoms.length)]);
                String atom = regex.substring(Math.max(0, regex.length() - 1));
                if (!"^$({".contains(atom) && !regex.toString().endsWith("\\b") && !regex.toString().endsWith("(?i)")) {
                    regex.append(quantifiers[random.nextInt(quantifiers.length)]);
                }
            }
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex.toString(), random.nextBoolean() ? Pattern.CASE_INSENSITIVE : 0);
            } catch (com.google.re2j.PatternSyntaxException e) {
                continue;
            }
            String literal = RequiredLiteral.of(regex.toString()).toLowerCase(Locale.ROOT);
            List<String> sequence = RequiredLiteral.sequence(regex.toString());
            for (int t = 0; t < 10; t++) {
                String text = randomText(random);
                if (pattern.matcher(text).find()) {
                    checked++;
                    String folded = text.toLowerCase(Locale.ROOT);
                    assertThat(folded).as("regex '%s' matches '%s'", regex, text).contains(literal);
                    int from = 0;
                    for (String part : sequence) {
                        int found = folded.indexOf(part.toLowerCase(Locale.ROOT), from);
                        assertThat(found).as("regex '%s' matches '%s': %s in order", regex, text, sequence)
                                .isNotNegative();
                        from = found + part.length();
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(10_000);
    }

    private static String randomText(Random random) {
        String alphabet = "aAbB.1 ]{}x";
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(10); n > 0; n--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
