package dev.sigmacep.sigma.yaml;

import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.yaml.RejectedYamlException;
import dev.sigmacep.yaml.SafeYaml;
import dev.sigmacep.yaml.YamlTreeCache;

import java.util.List;

/**
 * YAML for the Sigma engine: {@link SafeYaml}'s loading, with a failure reported as the {@link SigmaRuleException}
 * every Sigma layer reports a bad rule with.
 */
public final class SigmaYaml {
    private SigmaYaml() {
    }

    /** The documents of one YAML stream; {@code failure} is set when the stream broke off (documents before it are kept). */
    public record Documents(List<Object> documents, SigmaRuleException failure) {
    }

    /** Loads every document of the stream, through a cache of trees (null: none); never throws. */
    public static Documents loadAll(String text, YamlTreeCache cache) {
        SafeYaml.Documents loaded = cache == null ? SafeYaml.loadAll(text) : cache.loadAll(text);
        RejectedYamlException failure = loaded.failure();
        return new Documents(loaded.documents(),
                failure == null ? null : new SigmaRuleException(failure.getMessage(), failure));
    }

    /** The document of a stream that holds at most one (a placeholder or mapping file); null when it holds none. */
    public static Object loadOne(String text) throws SigmaRuleException {
        try {
            return SafeYaml.loadOne(text);
        } catch (RejectedYamlException e) {
            throw new SigmaRuleException(e.getMessage(), e);
        }
    }
}
