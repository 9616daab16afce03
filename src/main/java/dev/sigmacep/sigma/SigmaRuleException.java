package dev.sigmacep.sigma;

/** A rule (or part of one) that cannot be loaded; the message names the construct and why. */
public class SigmaRuleException extends Exception {
    public SigmaRuleException(String reason) {
        super(reason);
    }

    public SigmaRuleException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
