package dev.sigmacep.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/** Collects the JSON lines a replay hands over (UTF-8 bytes) as strings. */
public final class Lines {
    private Lines() {
    }

    public static Consumer<byte[]> into(List<String> lines) {
        return line -> lines.add(new String(line, StandardCharsets.UTF_8));
    }
}
