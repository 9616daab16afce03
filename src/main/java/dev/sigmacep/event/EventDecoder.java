package dev.sigmacep.event;

/**
 * Recognises a JSON record's shape (flat Sysmon, evtx_dump, Winlogbeat legacy, ECS) and maps it to the
 * canonical event with the field mappings in resource {@code /event/field-mappings.yaml}. Never throws:
 * a record that cannot be decoded becomes a dead letter with the reason. Thread-confined; cheap to create.
 */
public final class EventDecoder {

    public DecodeResult decode(String raw) {
        return DecodeResult.dead("decoder not implemented yet", raw);
    }
}
