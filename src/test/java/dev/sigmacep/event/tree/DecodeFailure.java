package dev.sigmacep.event.tree;

/** Why a record cannot be decoded; caught by {@link EventDecoder} and turned into a dead letter. */
final class DecodeFailure extends RuntimeException {
    DecodeFailure(String reason) {
        super(reason, null, false, false); // no stack trace: hostile input must stay cheap
    }

    static DecodeFailure wrongType(String field, String type) {
        return new DecodeFailure("field " + field + " has wrong type (" + type + ")");
    }
}
