package dev.sigmacep.event;

import java.util.function.BiConsumer;

/**
 * Reads the {@code <Data Name="...">value</Data>} elements of Windows event XML, as the Azure Sentinel / Log
 * Analytics {@code Event} table exports EventData ({@code <DataItem ...><EventData ...><Data Name="Image">...}).
 * Events without EventData have {@code <UserData>} there instead ({@link #readUserData}). A scan, not an XML
 * parser: that XML is flat and machine-written; anything else gives no fields.
 */
final class EventDataXml {
    private static final String OPEN = "<Data";
    private static final String CLOSE = "</Data>";
    private static final String USER_DATA = "<UserData>";
    private static final String USER_DATA_CLOSE = "</UserData>";

    private EventDataXml() {
    }

    /**
     * Passes each named Data element's name and value to {@code data}, in order, or else UserData's fields; false
     * when there is none.
     */
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
        return any || readUserData(xml, data);
    }

    /**
     * The children of UserData's element, {@code <UserData><Element xmlns=...><Field>value</Field>...}: fields
     * of the events that have no EventData (WMI-Activity, TerminalServices). Only when the element is UserData's
     * only one; a child that holds elements is not a value and is left out. False when there is none.
     */
    static boolean readUserData(String xml, BiConsumer<String, String> data) {
        int start = xml.indexOf(USER_DATA);
        int end = start < 0 ? -1 : xml.indexOf(USER_DATA_CLOSE, start);
        if (end < 0) return false;
        int element = xml.indexOf('<', start + USER_DATA.length());
        int elementTagEnd = xml.indexOf('>', element);
        if (element >= end || elementTagEnd < 0 || elementTagEnd > end || xml.charAt(elementTagEnd - 1) == '/') return false;
        String elementName = tagName(xml, element + 1, elementTagEnd);
        if (elementName == null) return false;
        String elementClose = "</" + elementName + ">";
        int elementEnd = xml.indexOf(elementClose, elementTagEnd);
        if (elementEnd < 0 || elementEnd > end || xml.indexOf('<', elementEnd + elementClose.length()) < end) return false;
        boolean any = false;
        int i = elementTagEnd + 1;
        while ((i = xml.indexOf('<', i)) >= 0 && i < elementEnd) {
            int tagEnd = xml.indexOf('>', i);
            String name = tagEnd < 0 ? null : tagName(xml, i + 1, tagEnd);
            if (name == null) break;
            if (xml.charAt(tagEnd - 1) == '/') {
                data.accept(name, "");
                any = true;
                i = tagEnd + 1;
                continue;
            }
            String close = "</" + name + ">";
            int valueEnd = xml.indexOf(close, tagEnd + 1);
            if (valueEnd < 0 || valueEnd > elementEnd) break;
            if (xml.indexOf('<', tagEnd + 1) == valueEnd) {
                data.accept(name, unescape(xml, tagEnd + 1, valueEnd));
                any = true;
            }
            i = valueEnd + close.length();
        }
        return any;
    }

    /** The element name of the tag whose text runs from {@code from} to {@code to}; null for a closing tag or worse. */
    private static String tagName(String xml, int from, int to) {
        int end = from;
        while (end < to && !Character.isWhitespace(xml.charAt(end)) && xml.charAt(end) != '/') end++;
        if (end == from || !Character.isLetter(xml.charAt(from)) && xml.charAt(from) != '_') return null;
        return xml.substring(from, end);
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
