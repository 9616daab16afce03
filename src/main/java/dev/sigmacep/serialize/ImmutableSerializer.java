package dev.sigmacep.serialize;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** A {@link VersionedSerializer} for an immutable type: copying is sharing. */
public abstract class ImmutableSerializer<T> extends VersionedSerializer<T> {

    protected ImmutableSerializer(int version) {
        super(version);
    }

    @Override
    public final boolean isImmutableType() {
        return true;
    }

    @Override
    public final T copy(T from) {
        return from;
    }

    @Override
    public final T copy(T from, T reuse) {
        return from;
    }

    /**
     * What a checkpoint records of one of these serializers: its class. Restoring takes that class's
     * {@code INSTANCE}; it reads every format version an earlier release wrote, so the snapshot needs no more.
     */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
        private Class<?> serializer;

        /** For Flink, which restores a snapshot by reading it into a new instance. */
        public Snapshot() {
        }

        Snapshot(Class<?> serializer) {
            this.serializer = serializer;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(serializer.getName());
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            String name = in.readUTF();
            try {
                serializer = Class.forName(name, false, classLoader);
            } catch (ClassNotFoundException e) {
                throw new IOException("the state was written by serializer " + name + ", which this release lacks", e);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public TypeSerializer<T> restoreSerializer() {
            try {
                return (TypeSerializer<T>) serializer.getField("INSTANCE").get(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(serializer.getName() + " has no public static INSTANCE", e);
            }
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
            return old instanceof Snapshot<?> earlier && earlier.serializer == serializer
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
