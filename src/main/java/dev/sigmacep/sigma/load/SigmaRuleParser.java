package dev.sigmacep.sigma.load;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.compile.DetectionCompiler;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.model.Detection;
import dev.sigmacep.sigma.prefilter.NecessaryConditions;
import dev.sigmacep.sigma.rule.CompiledRule;
import dev.sigmacep.sigma.rule.Logsource;
import dev.sigmacep.sigma.rule.SigmaRule;
import dev.sigmacep.sigma.yaml.DocumentFields;

import java.util.List;
import java.util.Map;

/** Turns one YAML document holding a Sigma detection rule into the rule ({@link SigmaRule}) and its compiled form. */
final class SigmaRuleParser {
    private final DetectionCompiler detectionCompiler;

    SigmaRuleParser(MatchContext context) {
        this.detectionCompiler = new DetectionCompiler(context);
    }

    /** The rule and its detection compiled; compiling here makes a value that cannot compile a rule error at load. */
    CompiledRule parse(Map<String, Object> document, String path) throws SigmaRuleException {
        String id = DocumentFields.optionalString(document, "id", "");
        String title = DocumentFields.requiredString(document, "title", "");
        Logsource logsource = logsource(document);
        Detection detection = DetectionParser.parse(DocumentFields.requiredMap(document, "detection", ""));
        EventPredicate predicate = detectionCompiler.compile(detection);
        SigmaRule rule = new SigmaRule(id, DocumentFields.optionalString(document, "name", ""), title,
                DocumentFields.optionalChoice(document, "level", DocumentFields.LEVELS, ""),
                DocumentFields.optionalChoice(document, "status", DocumentFields.STATUSES, ""),
                DocumentFields.stringList(document, "tags", ""), logsource, path, document, detection, List.of());
        return new CompiledRule(rule, predicate, NecessaryConditions.of(detection));
    }

    static Logsource logsource(Map<String, Object> document) throws SigmaRuleException {
        Map<String, Object> logsource = DocumentFields.requiredMap(document, "logsource", "");
        return new Logsource(DocumentFields.optionalString(logsource, "product", "logsource."),
                DocumentFields.optionalString(logsource, "category", "logsource."),
                DocumentFields.optionalString(logsource, "service", "logsource."));
    }
}
