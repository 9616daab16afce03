package dev.sigmacep.sigma.route;

import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.rule.Logsource;
import dev.sigmacep.sigma.yaml.DocumentFields;
import dev.sigmacep.sigma.yaml.SigmaYaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a rule's logsource to the Windows events it applies to, from data (resource {@code /sigma/logsources.yaml}):
 * categories to (Channel, EventID) pairs, services to channels. See that file for the rules of combination.
 * A logsource without product is read as Windows when its category or service is a Windows one.
 */
public final class LogsourceRouter implements Serializable {
    public static final String BUNDLED = "/sigma/logsources.yaml";

    /** Where a rule's events are: every event, every event of some channels, some event ids of some channels, or none. */
    public record Route(Kind kind, Map<String, Set<Integer>> events, Set<String> channels, String unroutedReason)
            implements Serializable {
        public enum Kind { ALL_EVENTS, CHANNELS, EVENTS, UNROUTED }

        static Route allEvents() {
            return new Route(Kind.ALL_EVENTS, Map.of(), Set.of(), null);
        }

        static Route channels(Set<String> channels) {
            return new Route(Kind.CHANNELS, Map.of(), channels, null);
        }

        static Route events(Map<String, Set<Integer>> events) {
            return new Route(Kind.EVENTS, events, Set.of(), null);
        }

        static Route unrouted(String reason) {
            return new Route(Kind.UNROUTED, Map.of(), Set.of(), reason);
        }
    }

    private final Map<String, Map<String, Set<Integer>>> categories;
    private final Map<String, Set<String>> services;

    private LogsourceRouter(Map<String, Map<String, Set<Integer>>> categories, Map<String, Set<String>> services) {
        this.categories = categories;
        this.services = services;
    }

    /** The bundled Windows mapping. */
    public static LogsourceRouter bundled() {
        try (InputStream in = LogsourceRouter.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUNDLED + " is missing");
            }
            return fromYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SigmaRuleException e) {
            throw new IllegalStateException("resource " + BUNDLED + " is invalid: " + e.getMessage(), e);
        }
    }

    /** A mapping in the format of {@code /sigma/logsources.yaml}. */
    @SuppressWarnings("unchecked") // SigmaYaml builds maps with String keys only
    public static LogsourceRouter fromYaml(String yaml) throws SigmaRuleException {
        Object root = SigmaYaml.loadOne(yaml);
        if (!(root instanceof Map<?, ?> rootMap) || !(rootMap.get("windows") instanceof Map<?, ?> windows)) {
            throw new SigmaRuleException("logsource mapping needs a 'windows' map");
        }
        Map<String, Map<String, Set<Integer>>> categories = new LinkedHashMap<>();
        for (Map.Entry<String, Object> category : section(windows, "categories").entrySet()) {
            if (!(category.getValue() instanceof Map<?, ?> channels)) {
                throw new SigmaRuleException("category '" + category.getKey() + "' must map channels to event ids");
            }
            Map<String, Set<Integer>> events = new LinkedHashMap<>();
            for (Map.Entry<String, Object> channel : ((Map<String, Object>) channels).entrySet()) {
                events.put(channel.getKey(), eventIds(category.getKey(), channel.getValue()));
            }
            categories.put(category.getKey(), Collections.unmodifiableMap(events));
        }
        Map<String, Set<String>> services = new LinkedHashMap<>();
        Map<String, Object> serviceSection = section(windows, "services");
        for (String service : serviceSection.keySet()) {
            services.put(service, Set.copyOf(DocumentFields.stringList(serviceSection, service, "services.")));
        }
        return new LogsourceRouter(categories, services);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<?, ?> windows, String name) throws SigmaRuleException {
        if (!(windows.get(name) instanceof Map<?, ?> section)) {
            throw new SigmaRuleException("logsource mapping needs a 'windows." + name + "' map");
        }
        return (Map<String, Object>) section;
    }

    private static Set<Integer> eventIds(String category, Object value) throws SigmaRuleException {
        Set<Integer> ids = new TreeSet<>();
        if (value instanceof List<?> list) {
            for (Object id : list) {
                if (id instanceof Integer eventId) {
                    ids.add(eventId);
                }
            }
        }
        if (ids.isEmpty() || ids.size() != ((List<?>) value).size()) {
            throw new SigmaRuleException("category '" + category + "' must list integer event ids per channel");
        }
        return Collections.unmodifiableSet(ids);
    }

    public Route route(Logsource logsource) {
        String product = lower(logsource.product());
        String category = lower(logsource.category());
        String service = lower(logsource.service());
        if (product != null && !product.equals("windows")) {
            return Route.unrouted("product '" + logsource.product() + "' is not routed: events are Windows event logs");
        }
        if (category == null && service == null) {
            return product == null ? Route.unrouted("logsource names no product, category or service")
                    : Route.allEvents();
        }
        String withoutProduct = product == null ? " (the logsource names no product)" : "";
        Map<String, Set<Integer>> categoryEvents = category == null ? null : categories.get(category);
        if (category != null && categoryEvents == null) {
            return Route.unrouted("category '" + logsource.category() + "' has no Windows event log mapping"
                    + withoutProduct);
        }
        Set<String> serviceChannels = service == null ? null : services.get(service);
        if (service != null && serviceChannels == null) {
            return Route.unrouted("service '" + logsource.service() + "' has no Windows event log mapping"
                    + withoutProduct);
        }
        if (categoryEvents == null) {
            return Route.channels(serviceChannels);
        }
        if (serviceChannels == null) {
            return Route.events(categoryEvents);
        }
        Map<String, Set<Integer>> both = new LinkedHashMap<>(categoryEvents);
        both.keySet().retainAll(serviceChannels);
        return both.isEmpty()
                ? Route.unrouted("category '" + category + "' has no events on the channels of service '" + service + "'")
                : Route.events(Collections.unmodifiableMap(both));
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}
