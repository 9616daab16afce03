package dev.sigmacep.detect;

import dev.sigmacep.correlate.CorrelationPlan;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RuleLabels;
import dev.sigmacep.sigma.rule.SigmaRule;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.yaml.RejectedYamlException;
import dev.sigmacep.yaml.SafeYaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The detection rules of a running job, as deployed and then changed by {@link RuleUpdate}s. Immutable: applying an
 * update gives the next state, or the reasons it was rejected (then the state before keeps running).
 * <p>Rules are held one YAML document each, keyed by id (else name), in the order deployed; a changed rule keeps its
 * place, a new one comes last, so every detection rule keeps its index and correlations their roles. An update is
 * all or nothing: each of its rules must load and compile, no correlation may change (those change with a restart
 * from a savepoint, as their operators do), and it may carry no correlation or filter.
 */
public final class LiveRules {
    private static final Set<String> REMOVING = Set.of("deprecated", "unsupported");

    private final MatchContext context;
    private final List<Rule> rules;
    private final Map<String, Integer> versions;
    private final DetectionModel model;

    /** One document of the pack: its key (id, else name; null for a rule without either) and its text. */
    private record Rule(String key, RuleSource source) {
    }

    private LiveRules(MatchContext context, List<Rule> rules, Map<String, Integer> versions) {
        this.context = context;
        this.rules = List.copyOf(rules);
        this.versions = Map.copyOf(versions);
        this.model = new RuleSet(rules.stream().map(Rule::source).toList(), context).model();
    }

    /** The rules as deployed: every rule at version 1. */
    public static LiveRules deployed(List<RuleSource> sources, MatchContext context) {
        List<Rule> rules = new ArrayList<>();
        for (RuleSource source : sources) {
            try {
                List<String> documents = SafeYaml.documentTexts(source.text());
                if (documents.size() <= 1) { // the file as read: the same sources compile once per JVM (RuleSet)
                    rules.add(new Rule(documents.isEmpty() ? null : key(documents.get(0)), source));
                    continue;
                }
                for (int i = 0; i < documents.size(); i++) {
                    rules.add(new Rule(key(documents.get(i)),
                            new RuleSource(source.path() + "#" + (i + 1), documents.get(i))));
                }
            } catch (RejectedYamlException e) {
                rules.add(new Rule(null, source)); // loads with the error it always had
            }
        }
        return new LiveRules(context, rules, Map.of());
    }

    public DetectionModel model() {
        return model;
    }

    /**
     * The version of a rule (by id, else name): 1 as deployed or when first added, one more with each update that
     * changed it.
     */
    public int version(String rule) {
        return versions.getOrDefault(rule, 1);
    }

    /** The version of the model's rule at that index. */
    int version(int rule) {
        SigmaRule sigma = model.rule(rule);
        return version(RuleLabels.key(sigma.id(), sigma.name(), ""));
    }

    /** The next state ({@code null} when rejected), and a status for each rule of the update. */
    public record Outcome(LiveRules next, List<RuleStatus> statuses) {
    }

    public Outcome apply(RuleUpdate update) {
        List<String> documents;
        try {
            documents = SafeYaml.documentTexts(update.text());
        } catch (RejectedYamlException e) {
            return rejected(update, null, e.getMessage());
        }
        if (documents.isEmpty()) {
            return rejected(update, null, "the update holds no rule");
        }
        Map<String, String> changed = new LinkedHashMap<>(); // key → document text, null to remove
        for (String document : documents) {
            Map<String, Object> map;
            try {
                map = SafeYaml.loadOne(document) instanceof Map<?, ?> m ? cast(m) : null;
            } catch (RejectedYamlException e) {
                return rejected(update, null, e.getMessage());
            }
            String key = map == null ? null : key(map);
            if (map == null || key == null) {
                return rejected(update, null, "a rule sent to the running job needs an id or a name");
            }
            if (map.containsKey("correlation") || map.containsKey("filter")) {
                return rejected(update, key, "correlations and filters change with a restart from a savepoint,"
                        + " not while the job runs");
            }
            if (changed.containsKey(key)) {
                return rejected(update, key, "the update holds rule '" + key + "' twice");
            }
            boolean removing = REMOVING.contains(String.valueOf(map.get("status")));
            if (removing && rules.stream().noneMatch(rule -> key.equals(rule.key()))) {
                return rejected(update, key, "no rule '" + key + "' to remove");
            }
            changed.put(key, removing ? null : document);
        }
        List<Rule> next = new ArrayList<>();
        Set<String> present = new java.util.HashSet<>();
        int index = 0;
        for (Rule rule : rules) {
            if (rule.key() == null || !changed.containsKey(rule.key())) {
                next.add(rule);
            } else if (changed.get(rule.key()) != null) {
                next.add(new Rule(rule.key(), new RuleSource(update.origin() + "#" + (++index), changed.get(rule.key()))));
            }
            if (rule.key() != null) {
                present.add(rule.key());
            }
        }
        for (Map.Entry<String, String> rule : changed.entrySet()) {
            if (!present.contains(rule.getKey())) {
                next.add(new Rule(rule.getKey(), new RuleSource(update.origin() + "#" + (++index), rule.getValue())));
            }
        }
        Map<String, Integer> nextVersions = new HashMap<>(versions);
        for (String key : changed.keySet()) { // a new rule starts at 1; one removed and sent again counts on
            nextVersions.put(key, present.contains(key) || versions.containsKey(key) ? version(key) + 1 : 1);
        }
        LiveRules candidate = new LiveRules(context, next, nextVersions);

        List<RuleStatus> problems = new ArrayList<>();
        for (RuleError error : candidate.model.errors()) {
            if (error.path() != null && error.path().startsWith(update.origin() + "#")) {
                // a rule without an id is named by the update when it holds one rule
                String rule = error.id() != null ? error.id()
                        : changed.size() == 1 ? changed.keySet().iterator().next() : null;
                problems.add(new RuleStatus(update.origin(), rule, "rejected", 0, error.reason()));
            }
        }
        List<String> plansBefore = model.plans().stream().map(CorrelationPlan::label).toList();
        List<String> plansAfter = candidate.model.plans().stream().map(CorrelationPlan::label).toList();
        if (problems.isEmpty() && !plansBefore.equals(plansAfter)) { // a broken rule says why first
            List<String> lost = new ArrayList<>(plansBefore);
            lost.removeAll(plansAfter);
            problems.add(new RuleStatus(update.origin(), String.join(", ", changed.keySet()), "rejected", 0,
                    "the correlations " + lost + " would no longer run (they need the rule); change correlations"
                            + " with a restart from a savepoint"));
        }
        if (!problems.isEmpty()) {
            return new Outcome(null, problems);
        }
        List<RuleStatus> statuses = new ArrayList<>();
        for (Map.Entry<String, String> rule : changed.entrySet()) {
            String outcome = rule.getValue() == null ? "removed" : present.contains(rule.getKey()) ? "replaced" : "added";
            statuses.add(new RuleStatus(update.origin(), rule.getKey(), outcome, candidate.version(rule.getKey()), null));
        }
        return new Outcome(candidate, statuses);
    }

    private static Outcome rejected(RuleUpdate update, String rule, String reason) {
        return new Outcome(null, List.of(new RuleStatus(update.origin(), rule, "rejected", 0, reason)));
    }

    private static String key(String document) {
        try {
            return SafeYaml.loadOne(document) instanceof Map<?, ?> map ? key(cast(map)) : null;
        } catch (RejectedYamlException e) {
            return null;
        }
    }

    private static String key(Map<String, Object> document) {
        Object id = document.get("id");
        if (id instanceof String || id instanceof Number) {
            return id.toString();
        }
        Object name = document.get("name");
        return name instanceof String || name instanceof Number ? name.toString() : null;
    }

    @SuppressWarnings("unchecked") // SafeYaml builds maps with String keys
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
