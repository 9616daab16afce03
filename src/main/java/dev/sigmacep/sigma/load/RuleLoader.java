package dev.sigmacep.sigma.load;

import dev.sigmacep.log.RateLimitedLog;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.CompiledRule;
import dev.sigmacep.sigma.rule.CorrelationRule;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RuleIndex;
import dev.sigmacep.sigma.rule.RulePack;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.sigma.yaml.DocumentFields;
import dev.sigmacep.sigma.yaml.SigmaYaml;
import dev.sigmacep.yaml.YamlTreeCache;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Loads Sigma rule files (one or several YAML documents each) into rules, correlations and per-rule errors. */
public final class RuleLoader {
    private static final RateLimitedLog BUGS = new RateLimitedLog(LoggerFactory.getLogger(RuleLoader.class), 10);

    private final MatchContext context;
    private final SigmaRuleParser ruleParser;
    private final YamlTreeCache yamlCache;

    /** Parses through the process's YAML tree cache, if one is configured ({@link YamlTreeCache#configured()}). */
    public RuleLoader(MatchContext context) {
        this(context, YamlTreeCache.configured());
    }

    /** @param yamlCache the trees of files parsed before (saved after each load), or null to parse every file */
    public RuleLoader(MatchContext context, YamlTreeCache yamlCache) {
        this.context = context;
        this.ruleParser = new SigmaRuleParser(context);
        this.yamlCache = yamlCache;
    }

    /**
     * Rule files as read: their text, an error for every file that could not be read, and the files met in
     * directories but not read because they are not *.yml / *.yaml (so that nothing is skipped silently).
     */
    public record SourceSet(List<RuleSource> sources, List<RuleError> errors, List<String> skipped) {
        public SourceSet {
            sources = List.copyOf(sources);
            errors = List.copyOf(errors);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Reads every *.yml / *.yaml under the given files or directories (recursively), sorted by path.
     *
     * @throws IOException naming every path that could not be read; use {@link #read} to get those as RuleErrors
     */
    public static List<RuleSource> readSources(List<Path> paths) throws IOException {
        SourceSet set = read(paths);
        if (!set.errors().isEmpty()) {
            throw new IOException(set.errors().stream().map(e -> e.path() + ": " + e.reason())
                    .collect(Collectors.joining("; ")));
        }
        return set.sources();
    }

    /** Reads rule files without ever throwing; see {@link RuleFiles#read}. */
    public static SourceSet read(List<Path> paths) {
        return RuleFiles.read(paths);
    }

    /** Placeholder values for the {@code expand} modifier from a YAML file; see {@link PlaceholderFile}. */
    public static MatchContext placeholdersFromYaml(Path file) throws IOException, SigmaRuleException {
        return PlaceholderFile.fromYaml(file);
    }

    /** Loads the sources and keeps their read errors. */
    public RulePack load(SourceSet set) {
        RulePack pack = load(set.sources());
        List<RuleError> errors = new ArrayList<>(set.errors());
        errors.addAll(pack.errors());
        return new RulePack(pack.compiled(), pack.correlations(), errors);
    }

    /**
     * Loads every rule in the sources; never throws for a bad rule, which becomes a RuleError instead. The files
     * are parsed and compiled in parallel (a large pack takes seconds on one core, and the job waits for it at
     * start); ids and names are then claimed in source order, so the outcome does not depend on the threads.
     */
    public RulePack load(List<RuleSource> sources) {
        return load(sources, null);
    }

    /**
     * Loads as {@link #load(List)}, parsing and compiling only the files {@code reuse} does not hold from the
     * previous load with the same placeholders: a rule update changes a file or two of a pack of thousands.
     *
     * @param reuse the previous load's files, or null; afterwards it holds this load's files
     */
    public RulePack load(List<RuleSource> sources, Reuse reuse) {
        List<List<Parsed>> parsed = reuse == null ? sources.parallelStream().map(this::parse).toList()
                : reuse.parse(sources, context, this::parse);
        Loaded loaded = new Loaded();
        for (List<Parsed> documents : parsed) {
            for (Parsed document : documents) {
                document.addTo(loaded);
            }
        }
        List<CompiledRule> rules = applyFilters(loaded.rules, loaded.filters, loaded.errors);
        List<CorrelationRule> correlations = CorrelationResolver.resolve(rules.stream().map(CompiledRule::rule).toList(),
                loaded.correlations, loaded.errors);
        if (yamlCache != null) {
            yamlCache.save();
        }
        return new RulePack(rules, correlations, loaded.errors);
    }

    private List<Parsed> parse(RuleSource source) {
        SigmaYaml.Documents documents = SigmaYaml.loadAll(source.text(), yamlCache);
        boolean several = documents.documents().size() + (documents.failure() == null ? 0 : 1) > 1;
        List<Parsed> parsed = new ArrayList<>();
        for (int i = 0; i < documents.documents().size(); i++) {
            parsed.add(parseDocument(documents.documents().get(i), source.path(), several ? "document " + (i + 1) + ": " : ""));
        }
        if (documents.failure() != null) {
            String where = several ? "document " + (documents.documents().size() + 1) + ": " : "";
            parsed.add(Parsed.rejected(new RuleError(source.path(), null, where + documents.failure().getMessage())));
        }
        return parsed;
    }

    /**
     * One document's outcome: a rule, correlation or filter (with its file, its id as written and where in the
     * file, for an identity clash), or the error that rejected it.
     */
    private record Parsed(Object item, String path, String id, String where, RuleError error) {
        static Parsed rejected(RuleError error) {
            return new Parsed(null, null, null, null, error);
        }

        void addTo(Loaded loaded) {
            if (error != null) {
                loaded.errors.add(error);
                return;
            }
            try {
                if (item instanceof CorrelationRule correlation) {
                    claimIdentity(correlation.id(), correlation.name(), path, loaded);
                    loaded.correlations.add(correlation);
                } else if (item instanceof SigmaFilter filter) {
                    claimIdentity(filter.id(), null, path, loaded);
                    loaded.filters.add(filter);
                } else {
                    CompiledRule rule = (CompiledRule) item;
                    claimIdentity(rule.rule().id(), rule.rule().name(), path, loaded);
                    loaded.rules.add(rule);
                }
            } catch (SigmaRuleException e) {
                loaded.errors.add(new RuleError(path, id, where + e.getMessage()));
            }
        }
    }

    /**
     * The files of a rule pack as parsed and compiled, kept for the next load of a pack that differs in a few
     * files. It holds one pack's files (the last one loaded with it), which that pack's model holds anyway; a
     * parsed file is immutable, and ids and names are claimed again on every load.
     */
    public static final class Reuse {
        private final Map<RuleSource, List<Parsed>> parsed = new HashMap<>();
        private MatchContext context;

        synchronized List<List<Parsed>> parse(List<RuleSource> sources, MatchContext context,
                                              java.util.function.Function<RuleSource, List<Parsed>> parser) {
            if (!context.equals(this.context)) { // placeholders change what a rule compiles to
                parsed.clear();
                this.context = context;
            }
            List<List<Parsed>> result = sources.parallelStream().map(source -> {
                List<Parsed> before = parsed.get(source);
                return before != null ? before : parser.apply(source);
            }).toList();
            parsed.clear();
            for (int i = 0; i < sources.size(); i++) {
                parsed.put(sources.get(i), result.get(i));
            }
            return result;
        }
    }

    /** Everything parsed so far, and the ids/names taken (ids and names must be unique across the pack). */
    private static final class Loaded {
        final List<CompiledRule> rules = new ArrayList<>();
        final List<CorrelationRule> correlations = new ArrayList<>();
        final List<SigmaFilter> filters = new ArrayList<>();
        final List<RuleError> errors = new ArrayList<>();
        final Map<String, String> pathById = new HashMap<>();
        final Map<String, String> pathByName = new HashMap<>();
    }

    @SuppressWarnings("unchecked") // SigmaYaml builds maps with String keys only
    private Parsed parseDocument(Object document, String path, String where) {
        if (!(document instanceof Map)) {
            return Parsed.rejected(new RuleError(path, null, where + "a rule must be a YAML map, not "
                    + DocumentFields.describe(document)));
        }
        Map<String, Object> map = (Map<String, Object>) document;
        Object rawId = map.get("id");
        String id = rawId == null || rawId instanceof Map || rawId instanceof List ? null : rawId.toString();
        try {
            if (map.containsKey("action")) {
                throw new SigmaRuleException("rule collection action '" + map.get("action")
                        + "' (global/reset/repeat) is Sigma 1 syntax, dropped from Sigma 2; write each rule in full");
            }
            Object item = map.containsKey("correlation") ? CorrelationParser.parse(map, path)
                    : map.containsKey("filter") ? SigmaFilter.parse(map, path, context)
                    : ruleParser.parse(map, path);
            return new Parsed(item, path, id, where, null);
        } catch (SigmaRuleException e) {
            return Parsed.rejected(new RuleError(path, id, where + e.getMessage()));
        } catch (RuntimeException e) { // a bug in one rule's compilation must not cost the whole pack
            BUGS.error("internal error while compiling the rule in " + path + (id == null ? "" : " (id " + id + ")"), e);
            return Parsed.rejected(new RuleError(path, id, where + "internal error while compiling the rule: " + e));
        } catch (StackOverflowError e) {
            // conditions and regexes are bounded far below the usual stack sizes, but a thread with a smaller stack
            // (or a recursion not bounded yet) must still cost only this rule
            return Parsed.rejected(new RuleError(path, id, where + "the rule is nested too deeply to compile"
                    + " (stack overflow)"));
        }
    }

    /**
     * Ids and names must be unique across the pack, and one rule's name must not be another's id: correlations and
     * filters refer to rules by either. Later ones lose.
     */
    private static void claimIdentity(String id, String name, String path, Loaded loaded) throws SigmaRuleException {
        if (id != null && loaded.pathById.containsKey(id)) {
            throw new SigmaRuleException("duplicate id '" + id + "', already used in " + loaded.pathById.get(id));
        }
        if (id != null && loaded.pathByName.containsKey(id)) {
            throw new SigmaRuleException("id '" + id + "' is already the name of the rule in " + loaded.pathByName.get(id));
        }
        if (name != null && loaded.pathByName.containsKey(name)) {
            throw new SigmaRuleException("duplicate name '" + name + "', already used in " + loaded.pathByName.get(name));
        }
        if (name != null && !name.equals(id) && loaded.pathById.containsKey(name)) {
            throw new SigmaRuleException("name '" + name + "' is already the id of the rule in " + loaded.pathById.get(name));
        }
        if (id != null) {
            loaded.pathById.put(id, path);
        }
        if (name != null) {
            loaded.pathByName.put(name, path);
        }
    }

    /** Adds each filter's exclusion to the rules it names; a filter naming a missing or mismatched rule is rejected. */
    private static List<CompiledRule> applyFilters(List<CompiledRule> rules, List<SigmaFilter> filters,
                                                   List<RuleError> errors) {
        List<CompiledRule> result = new ArrayList<>(rules);
        // positions stay: filters only replace rules
        RuleIndex index = RuleIndex.of(rules.stream().map(CompiledRule::rule).toList(), List.of());
        for (SigmaFilter filter : filters) {
            List<Integer> targets = new ArrayList<>();
            String problem = null;
            for (String ref : filter.rules()) {
                int target = index.detectionIndex(ref);
                if (target < 0) {
                    problem = "filter references rule '" + ref + "' which is not in the rule pack";
                    break;
                }
                problem = filter.mismatch(result.get(target).rule());
                if (problem != null) {
                    break;
                }
                targets.add(target);
            }
            if (problem != null) {
                errors.add(new RuleError(filter.path(), filter.id(), problem));
                continue;
            }
            for (int target : targets) {
                result.set(target, result.get(target).withExclusion(filter.exclusion(), filter.compiledExclusion()));
            }
        }
        return result;
    }

}
