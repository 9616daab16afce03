package dev.sigmacep.serialize;

import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * A serializer for one of the job's data types, so none of them falls back to Kryo. Each record starts with a format
 * version byte: a later release reads what an earlier one wrote (savepoints survive upgrades) by switching on it in
 * {@link #read}. Each subclass has its instance in a public static field {@code INSTANCE} (one with a setting, such as
 * {@code GroupKey.Serializer}, further instances whose snapshot records it); {@link ImmutableSerializer} is for values
 * never changed after construction, {@link MutableSerializer} for state changed in place.
 */
public abstract class VersionedSerializer<T> extends TypeSerializerSingleton<T> {
    private final int version;

    protected VersionedSerializer(int version) {
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
        int written = in.readUnsignedByte();
        if (written == version) {
            out.writeByte(version);
            copyFields(in, out);
        } else {
            serialize(read(written, in), out); // an earlier format is copied in this one
        }
    }

    /**
     * Copies the fields of one value in this serializer's format (after the version byte): BATCH's sort copies every
     * record it spills this way. By default the value is read and written again; a type that is sorted and spilled by
     * the million copies the bytes instead.
     */
    protected void copyFields(DataInputView in, DataOutputView out) throws IOException {
        write(read(version, in), out);
    }

    @Override
    public final T createInstance() {
        return null;
    }

    @Override
    public final int getLength() {
        return -1;
    }

    /**
     * The snapshot class is {@link ImmutableSerializer.Snapshot}, the name savepoints written so far record; a
     * serializer with a setting of its own overrides this to record it.
     */
    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new ImmutableSerializer.Snapshot<>(getClass());
    }
}

