package dev.sigmacep.serialize;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Strings on the wire as a length and their UTF-8 bytes. Flink's own string serializer writes a char at a time,
 * which dominated the job's profile once records of a few KB crossed operators; a bulk copy does not.
 */
public final class Utf8 {
    private static final int NULL = -1;

    private Utf8() {
    }

    /** Writes a string that may be null. */
    public static void write(DataOutputView out, String value) throws IOException {
        if (value == null) {
            out.writeInt(NULL);
            return;
        }
        writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    public static String read(DataInputView in) throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Writes a byte array that may be null. */
    public static void writeBytes(DataOutputView out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(NULL);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public static byte[] readBytes(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length == NULL) {
            return null;
        }
        if (length < 0) {
            throw new IOException("corrupt serialized data: length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /** Copies what {@link #write} or {@link #writeBytes} wrote, without decoding it. */
    public static void copy(DataInputView in, DataOutputView out) throws IOException {
        int length = in.readInt();
        if (length < NULL) {
            throw new IOException("corrupt serialized data: length " + length);
        }
        out.writeInt(length);
        if (length > 0) {
            out.write(in, length);
        }
    }

    /** Copies what {@link #writeList} wrote, without decoding it. */
    public static void copyList(DataInputView in, DataOutputView out) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            throw new IOException("corrupt serialized data: list size " + size);
        }
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            copy(in, out);
        }
    }

    public static void writeList(DataOutputView out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            write(out, value);
        }
    }

    public static List<String> readList(DataInputView in) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            throw new IOException("corrupt serialized data: list size " + size);
        }
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(read(in));
        }
        return values;
    }
}
