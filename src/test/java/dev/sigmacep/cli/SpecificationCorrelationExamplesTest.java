package dev.sigmacep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigmacep.testing.ConsoleCapture;
import dev.sigmacep.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rules validate} loads every correlation example of the Sigma specification (../shared/data/sigma-spec):
 * the complete ones in the correlation specification's text (those with a type) and the schema test files. The
 * detection rules an example references but does not contain are added as stubs, and an example written without a
 * title (a fragment of the text) gets one; nothing else is changed.
 */
class SpecificationCorrelationExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE_BLOCK = Pattern.compile("```ya?ml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyCorrelationExampleValidates(@TempDir Path dir) throws Exception {
        Path spec = SharedData.path("data/sigma-spec");
        List<String> examples = new ArrayList<>();
        Matcher blocks = CODE_BLOCK.matcher(
                Files.readString(spec.resolve("specification/sigma-correlation-rules-specification.md")));
        while (blocks.find()) {
            if (blocks.group(1).contains("    type: ")) {
                examples.add(blocks.group(1));
            }
        }
        assertThat(examples).as("complete examples in the specification's text").hasSize(9);
        try (Stream<Path> files = Files.list(spec.resolve("tests/schema/correlation"))) {
            for (Path file : files.sorted().toList()) {
                examples.add(Files.readString(file));
            }
        }
        assertThat(examples).hasSize(17);

        for (int i = 0; i < examples.size(); i++) { // one at a time: examples share ids
            int documents = 0;
            StringBuilder file = new StringBuilder();
            Set<String> defined = new HashSet<>();
            List<String> referenced = new ArrayList<>();
            for (Object loaded : yaml().loadAll(examples.get(i))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> document = (Map<String, Object>) loaded;
                defined.add(String.valueOf(document.get("name")));
                defined.add(String.valueOf(document.get("id")));
                if (document.get("correlation") instanceof Map<?, ?> correlation) {
                    ((List<?>) correlation.get("rules")).forEach(rule -> referenced.add(rule.toString()));
                }
            }
            String example = examples.get(i);
            file.append(example.startsWith("correlation:") ? "title: example " + i + "\n" + example : example);
            for (String rule : referenced) {
                if (defined.add(rule)) {
                    file.append("\n---\n").append(stub(rule));
                    documents++;
                }
            }
            documents += count(example);
            Path rules = Files.createDirectory(dir.resolve("example-" + i));
            Files.writeString(rules.resolve("example.yml"), file);

            ConsoleCapture.Captured<Integer> run = ConsoleCapture.of(
                    () -> Main.commandLine().execute("rules", "validate", rules.toString(), "--json"));
            JsonNode result = JSON.readTree(run.out());
            assertThat(result.get("rejected")).as(file + "\n" + run.out()).isEmpty();
            assertThat(run.result()).isZero();
            assertThat(result.get("loaded").asInt()).isEqualTo(documents);
        }
    }

    private static int count(String example) {
        int documents = 0;
        for (Object ignored : yaml().loadAll(example)) {
            documents++;
        }
        return documents;
    }

    /** A detection rule answering to the reference: by id when it is a UUID, else by name. */
    private static String stub(String reference) {
        boolean uuid = reference.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        return "title: stub for " + reference + "\n" + (uuid ? "id: " : "name: ") + reference + "\n"
                + "logsource: {product: windows, service: security}\n"
                + "detection: {selection: {EventID: 4625}, condition: selection}\n";
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }
}
