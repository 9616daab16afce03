package dev.sigmacep.serialize;

import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * A serializer for one of the job's immutable data types, so none of them falls back to Kryo. Each record starts
 * with a format version byte: a later release reads what an earlier one wrote (savepoints survive upgrades) by
 * switching on it in {@link #read}.
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
}
