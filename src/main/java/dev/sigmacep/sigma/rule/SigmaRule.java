package dev.sigmacep.sigma.rule;

import dev.sigmacep.sigma.model.Detection;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A loaded Sigma detection rule: its attributes and its typed detection (compiled: {@link CompiledRule}). */
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
    /** the detections of the Sigma filters applied to the rule: it matches none of their events */
    private final List<Detection> exclusions;

    public SigmaRule(String id, String name, String title, String level, String status, List<String> tags,
                     Logsource logsource, String path, Map<String, Object> attributes, Detection detection,
                     List<Detection> exclusions) {
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
        this.exclusions = List.copyOf(exclusions);
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
    public List<Detection> exclusions() { return exclusions; }

    /** This rule with a Sigma filter's detection as one more exclusion. */
    public SigmaRule withExclusion(Detection exclusion) {
        List<Detection> more = new ArrayList<>(exclusions);
        more.add(exclusion);
        return new SigmaRule(id, name, title, level, status, tags, logsource, path, attributes, detection, more);
    }

    @Override
    public String toString() {
        return "SigmaRule{" + (id != null ? id : path) + ", " + title + "}";
    }
}
