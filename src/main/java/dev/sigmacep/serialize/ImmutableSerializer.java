package dev.sigmacep.serialize;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * A serializer for one of the job's immutable data types, so none of them falls back to Kryo. Each record starts
 * with a format version byte: a later release reads what an earlier one wrote (savepoints survive upgrades) by
 * switching on it in {@link #read}. Each subclass is a singleton in a public static field {@code INSTANCE}.
 */
public abstract class ImmutableSerializer<T> extends TypeSerializerSingleton<T> {
    private final int version;

    protected ImmutableSerializer(int version) {
        this.version = version;
    }

    /** Writes the fields of one value (after the version byte). */
    protected abstract void write(T value, DataOutputView out) throws IOException;

    /** Reads one value written in format {@code version} (this serializer's or an earlier one). */
    protected abstract T read(int version, DataInputView in) throws IOException;

    @Override
    public final void serialize(T value, DataOutputView out) throws IOException {
        out.writeByte(version);
        write(value, out);
    }

    @Override
    public final T deserialize(DataInputView in) throws IOException {
        int written = in.readUnsignedByte();
        if (written > version) {
            throw new IOException(getClass().getSimpleName() + ": format version " + written
                    + " is newer than this release reads (" + version + ")");
        }
        return read(written, in);
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public final void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public final boolean isImmutableType() {
        return true;
    }

    @Override
    public final T createInstance() {
        return null;
    }

    @Override
    public final T copy(T from) {
        return from;
    }

    @Override
    public final T copy(T from, T reuse) {
        return from;
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(getClass());
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
