package dev.sigmacep.event;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Windows command line into argv the way the MSVC runtime and {@code CommandLineToArgvW} do, so that
 * "has arguments" means what Windows itself would pass to the program.
 *
 * <p>argv[0] (the program) is special: if it starts with a quote it runs to the next quote, with no escape
 * processing; otherwise it runs to the first space or tab. A character directly after the closing quote starts
 * the first argument (as {@code CommandLineToArgvW} does).
 *
 * <p>Later arguments are separated by spaces and tabs outside quotes. A quote toggles quoting; {@code 2n}
 * backslashes before a quote give {@code n} backslashes and the quote toggles, {@code 2n+1} give {@code n}
 * backslashes and a literal quote; backslashes not before a quote are literal. {@code ""} inside quotes is a
 * literal quote and quoting continues (the post-2008 runtime rule). An unbalanced quote runs to the end.
 * {@code ""} on its own is an (empty) argument.
 */
public final class WindowsCommandLine {

    private WindowsCommandLine() {
    }

    /** argv: the program first, then its arguments. An empty or blank line gives an empty program name. */
    public static List<String> split(String commandLine) {
        List<String> argv = new ArrayList<>();
        parse(commandLine, argv);
        return argv;
    }

    /** The number of arguments after the program (argc - 1), without building the strings. */
    public static int argumentCount(String commandLine) {
        return parse(commandLine, null) - 1;
    }

    /** Parses {@code line}; adds each argv entry to {@code out} when it is not null. Returns argc. */
    private static int parse(String line, List<String> out) {
        int n = line.length();
        StringBuilder arg = out == null ? null : new StringBuilder();
        int i = 0;

        // argv[0]
        if (n > 0 && line.charAt(0) == '"') {
            int close = line.indexOf('"', 1);
            int end = close < 0 ? n : close;
            if (out != null) out.add(line.substring(1, end));
            i = close < 0 ? n : close + 1;
        } else {
            while (i < n && !isBlank(line.charAt(i))) i++;
            if (out != null) out.add(line.substring(0, i));
        }
        int argc = 1;

        while (true) {
            while (i < n && isBlank(line.charAt(i))) i++;
            if (i >= n) return argc;
            argc++;
            boolean quoted = false;
            while (i < n) {
                char c = line.charAt(i);
                if (c == '\\') {
                    int start = i;
                    while (i < n && line.charAt(i) == '\\') i++;
                    int slashes = i - start;
                    if (i < n && line.charAt(i) == '"') {
                        append(arg, '\\', slashes / 2);
                        if (slashes % 2 == 1) {
                            append(arg, '"', 1);
                            i++;
                        }
                        // an even count leaves the quote to the next round, where it toggles quoting
                    } else {
                        append(arg, '\\', slashes);
                    }
                } else if (c == '"') {
                    if (quoted && i + 1 < n && line.charAt(i + 1) == '"') {
                        append(arg, '"', 1);
                        i += 2;
                    } else {
                        quoted = !quoted;
                        i++;
                    }
                } else if (!quoted && isBlank(c)) {
                    break;
                } else {
                    append(arg, c, 1);
                    i++;
                }
            }
            if (out != null) {
                out.add(arg.toString());
                arg.setLength(0);
            }
        }
    }

    private static void append(StringBuilder sb, char c, int times) {
        if (sb == null) return;
        for (int k = 0; k < times; k++) sb.append(c);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
