package dev.sigmacep.sigma;

/**
 * What a Sigma rule sees of an event: its fields by canonical (Sigma taxonomy) name.
 * Values are String, Long, Integer, Double, Boolean, or a List of those; null when absent.
 */
public interface FieldSource {

    /** The value of the named field, or null when the event has no such field. Names are case-sensitive. */
    Object field(String name);

    /** Every field value of the event, for keyword (field-less) search. */
    Iterable<?> values();
}
