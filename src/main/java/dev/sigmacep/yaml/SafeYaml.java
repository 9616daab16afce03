package dev.sigmacep.yaml;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's one YAML loader, for rule files, the field mappings and job files alike: safe and bounded, since
 * rule files come from anywhere.
 *
 * <p>Only plain YAML types are constructed (no Java objects), duplicate keys are rejected, collection aliases,
 * nesting depth and input size are capped, and every document is copied into a plain tree (String keys,
 * unmodifiable LinkedHashMap/List, String/Integer/Long/Double/Boolean/null leaves; integers beyond Long become
 * their digits as text) under a node and character budget, so a "billion laughs" document fails in bounded time
 * instead of expanding. Timestamps are kept as written ({@code date: 2022-10-14} stays the String "2022-10-14").
 */
public final class SafeYaml {
    public static final int MAX_CODE_POINTS = 8 * 1024 * 1024;
    public static final int MAX_ALIASES_FOR_COLLECTIONS = 50;
    public static final int MAX_NESTING_DEPTH = 64;
    /** the Sigma spec caps descriptions at 65,535 characters; no sensible value of any attribute is longer */
    public static final int MAX_SCALAR_LENGTH = 65_536;
    /** nodes of one document after alias expansion (the largest SigmaHQ rule has a few thousand) */
    public static final int MAX_NODES = 200_000;

    private SafeYaml() {
    }

    /**
     * The documents of one YAML stream; {@code failure} is set when the stream broke off (documents before it are
     * kept).
     */
    public record Documents(List<Object> documents, RejectedYamlException failure) {
    }

    /** Loads every document of the stream; never throws. Empty documents (e.g. after a trailing '---') are left out. */
    public static Documents loadAll(String text) {
        List<Object> documents = new ArrayList<>();
        if (text.length() > MAX_CODE_POINTS) {
            return new Documents(documents, new RejectedYamlException(
                    "YAML rejected: " + text.length() + " characters, more than the " + MAX_CODE_POINTS + " allowed"));
        }
        try {
            Iterator<Object> it = newYaml().loadAll(text).iterator();
            while (it.hasNext()) {
                Object document = it.next();
                if (document != null) {
                    documents.add(new TreeCopier().copy(document, ""));
                }
            }
            return new Documents(documents, null);
        } catch (YAMLException e) {
            return new Documents(documents, new RejectedYamlException("invalid YAML: " + describe(e), e));
        } catch (RejectedYamlException e) {
            return new Documents(documents, e);
        } catch (StackOverflowError e) {
            return new Documents(documents, new RejectedYamlException("invalid YAML: nested too deeply"));
        }
    }

    /**
     * The text of each document of a stream, exactly as written (from its first token to its end), for handing
     * documents on one by one. Empty documents are left out.
     *
     * @throws RejectedYamlException when the stream is not YAML or too large
     */
    public static List<String> documentTexts(String text) throws RejectedYamlException {
        if (text.length() > MAX_CODE_POINTS) {
            throw new RejectedYamlException("YAML rejected: " + text.length() + " characters, more than the "
                    + MAX_CODE_POINTS + " allowed");
        }
        List<String> texts = new ArrayList<>();
        int start = -1;
        boolean content = false;
        try {
            for (org.yaml.snakeyaml.events.Event event : newYaml().parse(new java.io.StringReader(text))) {
                if (event instanceof org.yaml.snakeyaml.events.DocumentStartEvent) {
                    start = event.getEndMark().getIndex(); // after an explicit '---', or where the content begins
                    content = false;
                } else if (event instanceof org.yaml.snakeyaml.events.DocumentEndEvent) {
                    String document = text.substring(start, event.getStartMark().getIndex()).strip();
                    if (content && !document.isEmpty()) {
                        texts.add(document + "\n");
                    }
                } else if (!(event instanceof org.yaml.snakeyaml.events.StreamStartEvent
                        || event instanceof org.yaml.snakeyaml.events.StreamEndEvent)) {
                    content = true;
                }
            }
        } catch (YAMLException e) {
            throw new RejectedYamlException("invalid YAML: " + describe(e), e);
        }
        return texts;
    }

    /** The document of a stream that holds at most one (a configuration file); null when it holds none. */
    public static Object loadOne(String text) throws RejectedYamlException {
        Documents loaded = loadAll(text);
        if (loaded.failure() != null) {
            throw loaded.failure();
        }
        if (loaded.documents().size() > 1) {
            throw new RejectedYamlException("expected one YAML document, found " + loaded.documents().size());
        }
        return loaded.documents().isEmpty() ? null : loaded.documents().get(0);
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        return new Yaml(new PlainConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new Resolver());
    }

    /** SafeConstructor that leaves timestamps as the text written. */
    private static final class PlainConstructor extends SafeConstructor {
        PlainConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }
    }

    private static String describe(YAMLException e) {
        String message;
        if (e instanceof MarkedYAMLException marked) {
            Mark mark = marked.getProblemMark();
            message = marked.getProblem() + (mark == null ? "" : " at line " + (mark.getLine() + 1)
                    + ", column " + (mark.getColumn() + 1));
            if (marked.getContext() != null) {
                message = marked.getContext() + ": " + message;
            }
        } else {
            message = String.valueOf(e.getMessage());
        }
        message = message.replaceAll("\\s+", " ").trim();
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    /**
     * Copies a constructed document into a plain tree, counting nodes and characters as if aliases were expanded,
     * so that shared parts (aliased collections or long aliased strings) cannot explode downstream.
     */
    private static final class TreeCopier {
        private int nodes;
        private long characters;

        Object copy(Object value, String where) throws RejectedYamlException {
            if (++nodes > MAX_NODES) {
                throw new RejectedYamlException("YAML rejected: the document expands to more than " + MAX_NODES
                        + " nodes (alias explosion?)");
            }
            if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
                    || value instanceof Double) {
                return value;
            }
            if (value instanceof String s) {
                if (s.length() > MAX_SCALAR_LENGTH) {
                    throw new RejectedYamlException("YAML rejected: the value at '" + where + "' is " + s.length()
                            + " characters long, more than the " + MAX_SCALAR_LENGTH + " allowed");
                }
                characters += s.length();
                if (characters > MAX_CODE_POINTS) {
                    throw new RejectedYamlException("YAML rejected: the document expands to more than "
                            + MAX_CODE_POINTS + " characters (aliased strings?)");
                }
                return s;
            }
            if (value instanceof BigInteger big) { // too long for a Long: Sigma values are text anyway
                return big.toString();
            }
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> copy = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    Object key = entry.getKey();
                    if (key instanceof Map || key instanceof List || key instanceof byte[]) {
                        throw new RejectedYamlException("YAML rejected: a mapping key at '" + where
                                + "' is not a scalar");
                    }
                    String name = String.valueOf(key);
                    String path = where.isEmpty() ? name : where + "." + name;
                    if (copy.containsKey(name)) { // e.g. 1 and '1': distinct to the parser, one key here
                        throw new RejectedYamlException("YAML rejected: duplicate key '" + path + "'");
                    }
                    copy.put(name, copy(entry.getValue(), path));
                }
                return Collections.unmodifiableMap(copy);
            }
            if (value instanceof List<?> list) {
                List<Object> copy = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    copy.add(copy(list.get(i), where + "[" + i + "]"));
                }
                return Collections.unmodifiableList(copy);
            }
            throw new RejectedYamlException("YAML rejected: unsupported YAML type " + value.getClass().getSimpleName()
                    + " at '" + where + "'");
        }
    }
}
