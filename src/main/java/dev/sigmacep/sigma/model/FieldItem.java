package dev.sigmacep.sigma.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;

/**
 * One entry of a search identifier's map, {@code field|modifiers: value}, or a keyword search (field name "").
 *
 * @param value as written: a String, Integer, Long, Double, Boolean, null, or a flat list of those
 */
public record FieldItem(FieldSpec spec, Object value) implements Serializable {

    /** The values one by one: the list's items, else the value itself (null included). */
    public List<?> values() {
        return value instanceof List<?> list ? list : Collections.singletonList(value);
    }
}
