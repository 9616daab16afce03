package dev.sigmacep.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs code with System.out and System.err captured (one capture at a time in the JVM: they are global). */
public final class ConsoleCapture {
    private ConsoleCapture() {
    }

    public interface Action<T> {
        T run() throws Exception;
    }

    /** What the code returned, or the exception it threw (then {@code result} is null), and what it printed. */
    public record Captured<T>(T result, Exception thrown, String out, String err) {
    }

    public static synchronized <T> Captured<T> of(Action<T> action) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        T result = null;
        Exception thrown = null;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            result = action.run();
        } catch (Exception e) {
            thrown = e;
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Captured<>(result, thrown, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }
}
