package dev.sigmacep.yaml;

/** YAML that was not loaded: invalid, or beyond one of {@link SafeYaml}'s limits. The message says which and where. */
public final class RejectedYamlException extends Exception {
    RejectedYamlException(String message) {
        super(message);
    }

    RejectedYamlException(String message, Throwable cause) {
        super(message, cause);
    }
}
