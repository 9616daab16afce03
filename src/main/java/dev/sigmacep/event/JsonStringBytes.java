package dev.sigmacep.event;

import dev.sigmacep.serialize.ByteSearch;

/**
 * Where a JSON string ends in UTF-8 bytes, found without decoding it: a quote byte ends the string unless an odd run
 * of backslashes comes just before it. Backslashes are counted only before the quotes (and line ends) a search
 * stops at: Windows paths and rendered messages are full of them, and stopping at each costs more than the search.
 */
final class JsonStringBytes {
    private JsonStringBytes() {
    }

    /**
     * The closing quote of the string whose text starts at {@code start} (just after its opening quote), or -1 when
     * there is none before {@code end}.
     */
    static int closingQuote(byte[] bytes, int start, int end) {
        for (int i = start; ; ) {
            int quote = ByteSearch.indexOf(bytes, i, end, (byte) '"');
            if (quote < 0 || !isEscaped(bytes, start, quote)) return quote;
            i = quote + 1;
        }
    }

    /**
     * Whether the byte at {@code at} is escaped: an odd run of backslashes ends just before it, counted back no further
     * than {@code start}, where the string's text is known not to be in an escape.
     */
    static boolean isEscaped(byte[] bytes, int start, int at) {
        int i = at;
        while (i > start && bytes[i - 1] == '\\') i--;
        return ((at - i) & 1) == 1;
    }
}
