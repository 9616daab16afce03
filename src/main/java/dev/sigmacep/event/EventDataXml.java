package dev.sigmacep.event;

import java.util.function.BiConsumer;

/**
 * Reads the {@code <Data Name="...">value</Data>} elements of Windows event XML, as the Azure Sentinel / Log
 * Analytics {@code Event} table exports EventData ({@code <DataItem ...><EventData ...><Data Name="Image">...}).
 * A scan, not an XML parser: that XML is flat and machine-written; anything else gives no fields.
 */
final class EventDataXml {
    private static final String OPEN = "<Data";
    private static final String CLOSE = "</Data>";

    private EventDataXml() {
    }

    /** Passes each named Data element's name and value to {@code data}, in order; false when there is none. */
    static boolean read(String xml, BiConsumer<String, String> data) {
        boolean any = false;
        int i = 0;
        while ((i = xml.indexOf(OPEN, i)) >= 0) {
            int afterName = i + OPEN.length();
            int tagEnd = xml.indexOf('>', afterName);
            if (tagEnd < 0) break;
            char next = xml.charAt(afterName);
            if (next != ' ' && next != '>' && next != '/') { // <DataItem ...>
                i = afterName;
                continue;
            }
            boolean empty = xml.charAt(tagEnd - 1) == '/';
            String name = nameAttribute(xml, afterName, tagEnd);
            String value;
            if (empty) {
                value = "";
                i = tagEnd + 1;
            } else {
                int close = xml.indexOf(CLOSE, tagEnd + 1);
                if (close < 0) break;
                value = unescape(xml, tagEnd + 1, close);
                i = close + CLOSE.length();
            }
            if (name != null) {
                data.accept(name, value);
                any = true;
            }
        }
        return any;
    }

    private static String nameAttribute(String xml, int from, int to) {
        int at = xml.indexOf("Name=", from);
        if (at < 0 || at + 6 >= to) return null;
        char quote = xml.charAt(at + 5);
        if (quote != '"' && quote != '\'') return null;
        int end = xml.indexOf(quote, at + 6);
        return end < 0 || end > to ? null : unescape(xml, at + 6, end);
    }

    /** XML's five entities and numeric character references; anything unknown is kept as written. */
    private static String unescape(String s, int from, int to) {
        int amp = s.indexOf('&', from);
        if (amp < 0 || amp >= to) return s.substring(from, to);
        StringBuilder sb = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            int semi = c == '&' ? s.indexOf(';', i) : -1;
            if (semi < 0 || semi >= to || semi - i > 10) {
                sb.append(c);
                i++;
                continue;
            }
            String entity = s.substring(i + 1, semi);
            int codePoint = switch (entity) {
                case "lt" -> '<';
                case "gt" -> '>';
                case "amp" -> '&';
                case "quot" -> '"';
                case "apos" -> '\'';
                default -> numericReference(entity);
            };
            if (codePoint < 0) {
                sb.append(c);
                i++;
            } else {
                sb.appendCodePoint(codePoint);
                i = semi + 1;
            }
        }
        return sb.toString();
    }

    private static int numericReference(String entity) {
        if (entity.length() < 2 || entity.charAt(0) != '#') return -1;
        try {
            int cp = entity.charAt(1) == 'x' || entity.charAt(1) == 'X'
                    ? Integer.parseInt(entity.substring(2), 16)
                    : Integer.parseInt(entity.substring(1));
            return Character.isValidCodePoint(cp) ? cp : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
