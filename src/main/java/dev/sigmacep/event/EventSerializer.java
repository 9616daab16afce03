package dev.sigmacep.event;

import dev.sigmacep.serialize.ImmutableSerializer;
import dev.sigmacep.serialize.SerializerTypeInfo;
import dev.sigmacep.serialize.Utf8;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The canonical event on the wire. The job chains decoding into detection, so events cross operators only where a
 * graph is wired differently (a replay that reads JSON Lines and other files at once unions two sources in front
 * of detection; tests, other jobs); this keeps them off Kryo there too. Version 2: host, time, format, record, the
 * record's position in its input file ({@link Event#sourceFile()}, -1 for none, then its offset), then each field as
 * name, type tag and value. Version 1 had no position. Field values are what the decoder makes: strings and
 * integers.
 */
public final class EventSerializer extends ImmutableSerializer<Event> {
    public static final EventSerializer INSTANCE = new EventSerializer();
    private static final byte STRING = 'S';
    private static final byte INTEGER = 'I';

    private EventSerializer() {
        super(2);
    }

    @Override
    protected void write(Event event, DataOutputView out) throws IOException {
        Utf8.write(out, event.host());
        out.writeLong(event.timeMicros());
        Utf8.write(out, event.format());
        Utf8.writeBytes(out, event.rawUtf8()); // the same bytes Utf8.write would write
        out.writeInt(event.sourceFile());
        if (event.sourceFile() >= 0) {
            out.writeLong(event.sourceOffset());
        }
        int[] count = {0};
        event.forEachField((name, value) -> count[0]++);
        out.writeInt(count[0]);
        try {
            event.forEachField((name, value) -> {
                try {
                    Utf8.write(out, name);
                    if (value instanceof Integer number) {
                        out.writeByte(INTEGER);
                        out.writeInt(number);
                    } else if (value instanceof String text) {
                        out.writeByte(STRING);
                        Utf8.write(out, text);
                    } else {
                        throw new IllegalArgumentException("field " + name + " holds a " + value.getClass().getName()
                                + "; events hold strings and integers");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    protected Event read(int version, DataInputView in) throws IOException {
        String host = Utf8.read(in);
        long timeMicros = in.readLong();
        String format = Utf8.read(in);
        byte[] rawUtf8 = Utf8.readBytes(in);
        int sourceFile = version >= 2 ? in.readInt() : -1;
        long sourceOffset = sourceFile >= 0 ? in.readLong() : 0;
        int count = in.readInt();
        Map<String, Object> fields = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            String name = Utf8.read(in).intern(); // events are looked up by identity first (Event.field)
            byte tag = in.readByte();
            fields.put(name, switch (tag) {
                case INTEGER -> in.readInt();
                case STRING -> Utf8.read(in);
                default -> throw new IOException("corrupt serialized event: value tag " + tag);
            });
        }
        Event event = new Event(fields, host, timeMicros, format, null);
        event.keepUtf8(rawUtf8); // its text is made only if asked
        if (sourceFile >= 0) {
            event.keepSource(sourceFile, sourceOffset);
        }
        return event;
    }

    public static final class Type extends TypeInfoFactory<Event> {
        @Override
        public TypeInformation<Event> createTypeInfo(java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(Event.class, INSTANCE);
        }
    }
}
