package dev.sigmacep.field;

import java.util.function.BiConsumer;

/**
 * What a Sigma rule sees of an event: its fields by canonical (Sigma taxonomy) name.
 * Values are String, Long, Integer, Double, Boolean, or a List of those; null when absent.
 */
public interface FieldSource {

    /** The value of the named field, or null when the event has no such field. Names are case-sensitive. */
    Object field(String name);

    /** Every field value of the event, for keyword (field-less) search. */
    Iterable<?> values();

    /**
     * Calls the action with every field's name and value, for the rule prefilter's one pass over the event. A value
     * may be null (an absent field), where the source keeps null values.
     */
    void forEachField(BiConsumer<String, Object> action);
}
