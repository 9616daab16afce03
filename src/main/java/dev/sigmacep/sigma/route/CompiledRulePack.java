package dev.sigmacep.sigma.route;

import dev.sigmacep.field.FieldSource;
import dev.sigmacep.sigma.prefilter.CandidateSet;
import dev.sigmacep.sigma.prefilter.RouteFilter;
import dev.sigmacep.sigma.prefilter.RulePrefilter;
import dev.sigmacep.sigma.rule.CompiledRule;
import dev.sigmacep.sigma.rule.SigmaRule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * Rules compiled for evaluation: routes an event by its logsource (EventID/Channel via the logsource mapping
 * data) so that it meets only the rules of its logsource, and reports the matching rules by index.
 *
 * <p>Routing is precomputed: for every (Channel, EventID) a sorted array of the rule indices that apply
 * (event-specific rules, channel-wide rules and Windows-wide rules merged), so {@link #match} does one hash
 * lookup and one binary search. Unrouted rules keep their index but never match.
 *
 * <p>Of the routed rules only those the {@link RulePrefilter} selects are evaluated: a rule whose necessary
 * literals are all absent from the event cannot match, so skipping it changes no result.
 */
public final class CompiledRulePack {
    private static final int[] NONE = new int[0];

    private final CompiledRule[] rules;
    private final List<LogsourceRouter.Route> routes;
    private final Map<String, ChannelIndex> channels;
    private final RouteFilter allEvents;
    private final RulePrefilter prefilter;
    /** per-thread scratch state: the pack is shared by threads, matching allocates nothing */
    private final ThreadLocal<CandidateSet> candidateSets;

    /** The routes of one channel: per event id (sorted, for binary search), and for its other event ids. */
    private record ChannelIndex(int[] eventIds, RouteFilter[] byEventId, RouteFilter otherEvents) {
    }

    private CompiledRulePack(List<CompiledRule> compiled, LogsourceRouter router) {
        this.rules = compiled.toArray(CompiledRule[]::new);
        this.prefilter = RulePrefilter.of(compiled.stream().map(CompiledRule::necessaryCondition).toList());
        this.candidateSets = ThreadLocal.withInitial(prefilter::newCandidateSet);
        this.routes = compiled.stream().map(rule -> router.route(rule.rule().logsource())).toList();
        Set<Integer> everywhere = new TreeSet<>();
        Map<String, Set<Integer>> channelWide = new HashMap<>();
        Map<String, Map<Integer, Set<Integer>>> byEvent = new HashMap<>();
        for (int i = 0; i < rules.length; i++) {
            LogsourceRouter.Route route = routes.get(i);
            switch (route.kind()) {
                case ALL_EVENTS -> everywhere.add(i);
                case CHANNELS -> {
                    for (String channel : route.channels()) {
                        channelWide.computeIfAbsent(channel, c -> new TreeSet<>()).add(i);
                    }
                }
                case EVENTS -> {
                    for (Map.Entry<String, Set<Integer>> entry : route.events().entrySet()) {
                        for (int eventId : entry.getValue()) {
                            byEvent.computeIfAbsent(entry.getKey(), c -> new TreeMap<>())
                                    .computeIfAbsent(eventId, e -> new TreeSet<>()).add(i);
                        }
                    }
                }
                case UNROUTED -> { }
            }
        }
        this.allEvents = prefilter.forRoute(toArray(everywhere));
        this.channels = new HashMap<>();
        Set<String> channelNames = new TreeSet<>(channelWide.keySet());
        channelNames.addAll(byEvent.keySet());
        for (String channel : channelNames) {
            Set<Integer> base = new TreeSet<>(everywhere);
            base.addAll(channelWide.getOrDefault(channel, Set.of()));
            Map<Integer, Set<Integer>> events = byEvent.getOrDefault(channel, Map.of());
            int[] eventIds = events.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            RouteFilter[] perEvent = new RouteFilter[eventIds.length];
            for (int e = 0; e < eventIds.length; e++) {
                Set<Integer> candidates = new TreeSet<>(base);
                candidates.addAll(events.get(eventIds[e]));
                perEvent[e] = prefilter.forRoute(toArray(candidates));
            }
            channels.put(channel, new ChannelIndex(eventIds, perEvent, prefilter.forRoute(toArray(base))));
        }
    }

    /** Compiles with the bundled logsource mapping (resource {@code /sigma/logsources.yaml}). */
    public static CompiledRulePack compile(List<CompiledRule> rules) {
        return compile(rules, LogsourceRouter.bundled());
    }

    public static CompiledRulePack compile(List<CompiledRule> rules, LogsourceRouter router) {
        return new CompiledRulePack(List.copyOf(rules), router);
    }

    public int size() { return rules.length; }

    public SigmaRule rule(int index) { return rules[index].rule(); }

    /** Rules that loaded but that no event reaches (non-Windows or unmapped logsources); see {@link #route}. */
    public List<SigmaRule> unroutedRules() {
        List<SigmaRule> unrouted = new ArrayList<>();
        for (int i = 0; i < rules.length; i++) {
            if (routes.get(i).kind() == LogsourceRouter.Route.Kind.UNROUTED) {
                unrouted.add(rules[i].rule());
            }
        }
        return unrouted;
    }

    /** Told of a rule that threw while it evaluated an event: a bug of the engine, not a verdict on the event. */
    @FunctionalInterface
    public interface RuleFailures {
        /** Failures are not caught: the first one ends {@link #match} (for tools that stop at a bug). */
        RuleFailures PROPAGATE = (rule, error) -> {
            throw error;
        };

        void failed(int rule, RuntimeException error);
    }

    /**
     * Calls the sink with the index of every rule that matches the event, in ascending order; a rule that throws
     * ends the call. Thread-safe; the sink may itself call {@code match}.
     */
    public void match(FieldSource event, IntConsumer sink) {
        match(event, sink, RuleFailures.PROPAGATE);
    }

    /**
     * As {@link #match(FieldSource, IntConsumer)}, but a rule that throws (a bug met on this event) is reported to
     * {@code failures} and counts as not matching, and the other rules are still evaluated: one rule's bug must
     * cost neither the event's other matches nor, by failing the job on every restart, the job.
     */
    public void match(FieldSource event, IntConsumer sink, RuleFailures failures) {
        RouteFilter route = route(event);
        if (route.rules().length == 0) {
            return;
        }
        CandidateSet candidates = candidateSets.get();
        if (!candidates.acquire()) {
            candidates = prefilter.newCandidateSet(); // a nested call from the sink: its own scratch state
            candidates.acquire();
        }
        try {
            prefilter.select(event, route, candidates);
            for (int w = 0, words = candidates.wordCount(); w < words; w++) {
                for (long word = candidates.word(w); word != 0; word &= word - 1) {
                    int index = (w << 6) + Long.numberOfTrailingZeros(word);
                    boolean matches;
                    try {
                        matches = rules[index].matches(event);
                    } catch (RuntimeException error) {
                        failures.failed(index, error);
                        continue;
                    } catch (StackOverflowError error) { // matching is bounded; a deeper recursion is a bug too
                        failures.failed(index, new IllegalStateException("stack overflow", error));
                        continue;
                    }
                    if (matches) {
                        sink.accept(index);
                    }
                }
            }
        } finally {
            candidates.release();
        }
    }

    /** The rules routed to the event (Channel and EventID), in ascending index order. */
    int[] candidates(FieldSource event) {
        return route(event).rules();
    }

    private RouteFilter route(FieldSource event) {
        ChannelIndex channel = event.field("Channel") instanceof String name ? channels.get(name) : null;
        if (channel == null) {
            return allEvents;
        }
        if (event.field("EventID") instanceof Number eventId) {
            int found = Arrays.binarySearch(channel.eventIds, eventId.intValue());
            if (found >= 0) {
                return channel.byEventId[found];
            }
        }
        return channel.otherEvents;
    }

    private static int[] toArray(Set<Integer> indices) {
        return indices.isEmpty() ? NONE : indices.stream().mapToInt(Integer::intValue).toArray();
    }
}
