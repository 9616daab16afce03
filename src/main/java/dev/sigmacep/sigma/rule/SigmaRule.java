package dev.sigmacep.sigma.rule;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.field.FieldSource;
import dev.sigmacep.field.Predicates;
import dev.sigmacep.sigma.model.Detection;
import dev.sigmacep.sigma.prefilter.NecessaryCondition;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** A loaded Sigma detection rule: its attributes, its typed detection, and that detection compiled. */
public final class SigmaRule implements Serializable {
    private final String id;
    private final String name;
    private final String title;
    private final String level;
    private final String status;
    private final List<String> tags;
    private final Logsource logsource;
    private final String path;
    /** every top-level attribute as loaded (author, references, related, falsepositives, fields, custom ones...) */
    private final Map<String, Object> attributes;
    private final Detection detection;
    /** {@link #detection} compiled (with any filter's exclusion) */
    private final EventPredicate predicate;
    /** implied by {@link #predicate}: lets the rule pack skip the rule on events where it cannot match */
    private final NecessaryCondition necessaryCondition;

    /** @param necessaryCondition must hold whenever {@code predicate} does */
    public SigmaRule(String id, String name, String title, String level, String status, List<String> tags,
                     Logsource logsource, String path, Map<String, Object> attributes, Detection detection,
                     EventPredicate predicate, NecessaryCondition necessaryCondition) {
        this.id = id;
        this.name = name;
        this.title = title;
        this.level = level;
        this.status = status;
        this.tags = List.copyOf(tags);
        this.logsource = logsource;
        this.path = path;
        this.attributes = attributes;
        this.detection = detection;
        this.predicate = predicate;
        this.necessaryCondition = necessaryCondition;
    }

    public String id() { return id; }
    public String name() { return name; }
    public String title() { return title; }
    public String level() { return level; }
    public String status() { return status; }
    public List<String> tags() { return tags; }
    public Logsource logsource() { return logsource; }
    public String path() { return path; }
    public Map<String, Object> attributes() { return attributes; }
    public Detection detection() { return detection; }

    public NecessaryCondition necessaryCondition() { return necessaryCondition; }

    public boolean matches(FieldSource event) {
        return predicate.test(event);
    }

    /**
     * This rule with a Sigma filter applied: it no longer matches events that the exclusion matches. The necessary
     * condition still holds, the rule only matches fewer events.
     */
    public SigmaRule withExclusion(EventPredicate exclusion) {
        return new SigmaRule(id, name, title, level, status, tags, logsource, path, attributes, detection,
                Predicates.and(List.of(predicate, Predicates.not(exclusion))), necessaryCondition);
    }

    @Override
    public String toString() {
        return "SigmaRule{" + (id != null ? id : path) + ", " + title + "}";
    }
}
