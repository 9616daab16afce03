package dev.sigmacep.testing;

import dev.sigmacep.field.FieldSource;

import java.util.LinkedHashMap;
import java.util.Map;

/** A FieldSource over a map, for tests. */
public record TestEvent(Map<String, Object> fields) implements FieldSource {

    public static TestEvent of(Object... keysAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new TestEvent(fields);
    }

    @Override
    public Object field(String name) {
        return fields.get(name);
    }

    @Override
    public Iterable<?> values() {
        return fields.values();
    }

    @Override
    public void forEachField(java.util.function.BiConsumer<String, Object> action) {
        fields.forEach(action);
    }
}
