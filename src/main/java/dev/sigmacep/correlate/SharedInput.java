package dev.sigmacep.correlate;

import dev.sigmacep.serialize.ImmutableSerializer;
import dev.sigmacep.serialize.SerializerTypeInfo;
import dev.sigmacep.serialize.Utf8;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One event's inputs into the sequence correlations that share one operator ({@link SharedCepOperator}), under one
 * partition value (their first group-by value): the event's host, time and record cross the exchange and the sort
 * once, however many of those correlations it enters. Each input keeps its own group-by values, roles and values.
 * <p>With a {@link RecordReference} (an embedded BATCH replay of local files, see {@link RecordReference#of}) the
 * record crosses as that reference instead: the input read back from the exchange holds no record
 * ({@link #recordUnread}) until {@link #withRecordReadBack} reads it from its file. Only BATCH may send references:
 * in STREAMING what crosses an exchange can end in a checkpoint, and a file is no place to keep it.
 *
 * @param members   per input, the position of its correlation among the operator's
 * @param reference where the event's record lies in its input file, or null to carry the record itself
 */
@TypeInfo(SharedInput.Type.class)
public record SharedInput(int[] members, List<CorrelationEvent> inputs, RecordReference reference) {
    /** Inputs that carry their record. */
    public SharedInput(int[] members, List<CorrelationEvent> inputs) {
        this(members, inputs, null);
    }

    /** @param inputs inputs made from one event (so sharing host, time and records), all with one partition value */
    public SharedInput {
        if (members.length != inputs.size() || inputs.isEmpty()) {
            throw new IllegalArgumentException("one member per input, at least one: " + members.length + " and "
                    + inputs.size());
        }
        inputs = List.copyOf(inputs);
        CorrelationEvent first = inputs.get(0);
        for (CorrelationEvent input : inputs) {
            if (input.timeMicros() != first.timeMicros() || !Objects.equals(input.host(), first.host())
                    || !sameRecords(input.records(), first.records())) {
                throw new IllegalArgumentException("the inputs of one shared input come from one event: " + first
                        + " and " + input);
            }
            if (!partition(input).equals(partition(first))) {
                throw new IllegalArgumentException("the inputs of one shared input have one partition value: "
                        + partition(first) + " and " + partition(input));
            }
        }
    }

    private static boolean sameRecords(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** The partition an input of the shared operator belongs to: its first group-by value. */
    public static String partition(CorrelationEvent input) {
        return input.groupValues().get(0);
    }

    public String partition() {
        return partition(inputs.get(0));
    }

    /** Whether the record crossed the exchange as its reference and is not read back yet. */
    public boolean recordUnread() {
        return reference != null && inputs.get(0).records().isEmpty();
    }

    /** This shared input with its record, read back from its file if it crossed the exchange as a reference. */
    SharedInput withRecordReadBack(RecordReadBack files) throws IOException {
        if (!recordUnread()) {
            return this;
        }
        List<byte[]> records = List.of(files.read(reference));
        List<CorrelationEvent> read = new ArrayList<>(inputs.size());
        for (CorrelationEvent input : inputs) {
            read.add(input.withRecords(records));
        }
        return new SharedInput(members, read, reference);
    }

    /**
     * Version 2: host, time, whether a reference stands for the records, then the reference (file, offset, length,
     * CRC-32C) or the records, then per input its member, group-by values, roles and values. Version 1 had no
     * references: the records followed the time.
     */
    public static final class Serializer extends ImmutableSerializer<SharedInput> {
        public static final Serializer INSTANCE = new Serializer();
        private static final int REFERENCE_BYTES = 4 + 8 + 4 + 4;

        private Serializer() {
            super(2);
        }

        @Override
        protected void write(SharedInput value, DataOutputView out) throws IOException {
            CorrelationEvent first = value.inputs.get(0);
            Utf8.write(out, first.host());
            out.writeLong(first.timeMicros());
            RecordReference reference = value.reference;
            out.writeBoolean(reference != null);
            if (reference != null) {
                out.writeInt(reference.file());
                out.writeLong(reference.offset());
                out.writeInt(reference.length());
                out.writeInt(reference.crc32c());
            } else {
                out.writeInt(first.records().size());
                for (byte[] record : first.records()) {
                    Utf8.writeBytes(out, record);
                }
            }
            out.writeInt(value.inputs.size());
            for (int i = 0; i < value.inputs.size(); i++) {
                CorrelationEvent input = value.inputs.get(i);
                out.writeInt(value.members[i]);
                Utf8.writeList(out, input.groupValues());
                out.writeInt(input.roles());
                Utf8.writeList(out, input.values());
            }
        }

        /** BATCH sorts and spills these by the million: a copy moves the bytes, nothing is decoded. */
        @Override
        protected void copyFields(DataInputView in, DataOutputView out) throws IOException {
            Utf8.copy(in, out); // host
            out.writeLong(in.readLong());
            boolean referenced = in.readBoolean();
            out.writeBoolean(referenced);
            if (referenced) {
                out.write(in, REFERENCE_BYTES);
            } else {
                int recordCount = in.readInt();
                out.writeInt(recordCount);
                for (int i = 0; i < recordCount; i++) {
                    Utf8.copy(in, out);
                }
            }
            int count = in.readInt();
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeInt(in.readInt()); // member
                Utf8.copyList(in, out);
                out.writeInt(in.readInt()); // roles
                Utf8.copyList(in, out);
            }
        }

        @Override
        protected SharedInput read(int version, DataInputView in) throws IOException {
            String host = Utf8.read(in);
            long timeMicros = in.readLong();
            RecordReference reference = null;
            List<byte[]> records;
            if (version >= 2 && in.readBoolean()) {
                reference = new RecordReference(in.readInt(), in.readLong(), in.readInt(), in.readInt());
                records = List.of();
            } else {
                int recordCount = in.readInt();
                records = new ArrayList<>(recordCount);
                for (int i = 0; i < recordCount; i++) {
                    records.add(Utf8.readBytes(in));
                }
            }
            int count = in.readInt();
            int[] members = new int[count];
            List<CorrelationEvent> inputs = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                members[i] = in.readInt();
                List<String> groupValues = Utf8.readList(in);
                int roles = in.readInt();
                inputs.add(new CorrelationEvent(groupValues, roles, host, timeMicros, Utf8.readList(in), records));
            }
            return new SharedInput(members, inputs, reference);
        }
    }

    public static final class Type extends TypeInfoFactory<SharedInput> {
        @Override
        public TypeInformation<SharedInput> createTypeInfo(java.lang.reflect.Type t,
                                                          Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(SharedInput.class, Serializer.INSTANCE);
        }
    }
}
