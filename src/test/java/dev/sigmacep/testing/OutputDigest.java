package dev.sigmacep.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A fingerprint of a replay's whole output, independent of arrival order: SHA-256 over the sorted alert lines,
 * then the sorted dead-letter lines. Tests pin it to the value the code before an optimisation produced, so any
 * change to any alert or dead letter (a field, an evidence byte, one more or one less) fails them.
 */
public final class OutputDigest {
    private OutputDigest() {
    }

    /**
     * The alert lines without the {@code correlation_type} field, which correlation alerts gained after the digests
     * were pinned: the rest of every line must still be byte for byte what it was.
     */
    public static List<String> withoutCorrelationType(List<String> alerts) {
        return alerts.stream().map(line -> CORRELATION_TYPE.matcher(line).replaceFirst("")).toList();
    }

    private static final java.util.regex.Pattern CORRELATION_TYPE =
            java.util.regex.Pattern.compile(",\"correlation_type\":\"[a-z_]+\"(?=,\"events\":\\[)");

    public static String of(List<String> alerts, List<String> deadLetters) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (List<String> lines : List.of(alerts, deadLetters)) {
                List<String> sorted = new ArrayList<>(lines);
                sorted.sort(null);
                for (String line : sorted) {
                    sha.update(line.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) '\n');
                }
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
