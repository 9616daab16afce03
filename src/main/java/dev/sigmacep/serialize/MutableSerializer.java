package dev.sigmacep.serialize;

/**
 * A {@link VersionedSerializer} for state changed in place: Flink copies such state (e.g. while a heap snapshot is
 * written), so a copy must be deep.
 */
public abstract class MutableSerializer<T> extends VersionedSerializer<T> {

    protected MutableSerializer(int version) {
        super(version);
    }

    /** A copy that shares nothing mutable with the original. */
    protected abstract T deepCopy(T from);

    @Override
    public final boolean isImmutableType() {
        return false;
    }

    @Override
    public final T copy(T from) {
        return from == null ? null : deepCopy(from);
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }
}
