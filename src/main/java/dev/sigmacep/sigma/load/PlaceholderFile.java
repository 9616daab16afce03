package dev.sigmacep.sigma.load;

import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.yaml.DocumentFields;
import dev.sigmacep.sigma.yaml.SigmaYaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Placeholder values for the {@code expand} modifier, read from YAML in the pySigma style:
 * <pre>
 * placeholders:          # or "vars:", as in a pySigma processing pipeline
 *   Administrators: [admin, 'adm_*']
 *   DomainControllers: dc01
 * </pre>
 * Names are written without the % signs; a single value counts as a list of one.
 */
public final class PlaceholderFile {
    private PlaceholderFile() {
    }

    public static MatchContext fromYaml(Path file) throws IOException, SigmaRuleException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked") // SigmaYaml builds maps with String keys only
    public static MatchContext parse(String yaml) throws SigmaRuleException {
        Object document = SigmaYaml.loadOne(yaml);
        if (!(document instanceof Map<?, ?> root)) {
            throw new SigmaRuleException("placeholder file must be a map with a 'placeholders' map");
        }
        Object section = root.containsKey("placeholders") ? root.get("placeholders") : root.get("vars");
        if (!(section instanceof Map)) {
            throw new SigmaRuleException("placeholder file has no 'placeholders' (or 'vars') map");
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : ((Map<String, Object>) section).entrySet()) {
            values.put(entry.getKey(), DocumentFields.stringList((Map<String, Object>) section, entry.getKey(),
                    "placeholders."));
            if (values.get(entry.getKey()).isEmpty()) {
                throw new SigmaRuleException("placeholder '" + entry.getKey() + "' has no values");
            }
        }
        return new MatchContext(values);
    }
}
