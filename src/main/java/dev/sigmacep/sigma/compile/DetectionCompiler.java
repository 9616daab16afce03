package dev.sigmacep.sigma.compile;

import dev.sigmacep.field.EventPredicate;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.match.ContainsScans;
import dev.sigmacep.sigma.match.FieldMatchers;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.sigma.model.Detection;
import dev.sigmacep.sigma.model.FieldItem;
import dev.sigmacep.sigma.model.Search;
import dev.sigmacep.sigma.model.SearchIdentifier;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link Detection}: every search identifier into a predicate (a map is the AND of its items, a list of
 * maps the OR, keywords one keyword search), then the condition over them. Items themselves are compiled by
 * {@link FieldMatchers}, sharing one scan per field for their {@code contains} literals ({@link ContainsScans}). AND
 * and OR test their cheapest operands first ({@link CostedPredicate}).
 */
public final class DetectionCompiler {
    private final MatchContext context;

    public DetectionCompiler(MatchContext context) {
        this.context = context;
    }

    /** @throws SigmaRuleException naming the search identifier and field of a value that cannot be compiled */
    public EventPredicate compile(Detection detection) throws SigmaRuleException {
        Map<String, CostedPredicate> identifiers = new HashMap<>();
        ContainsScans scans = new ContainsScans();
        for (SearchIdentifier identifier : detection.identifiers()) {
            identifiers.put(identifier.name(), searchIdentifier(identifier, scans));
        }
        return detection.condition().fold(identifiers, CostedPredicate.CHEAPEST_FIRST).predicate();
    }

    private CostedPredicate searchIdentifier(SearchIdentifier identifier, ContainsScans scans)
            throws SigmaRuleException {
        if (identifier.search() instanceof Search.Keywords keywords) {
            try {
                return item(keywords.item(), scans);
            } catch (SigmaRuleException e) {
                throw new SigmaRuleException("search identifier '" + identifier.name() + "' (keywords): "
                        + e.getMessage(), e);
            }
        }
        List<CostedPredicate> alternatives = new ArrayList<>();
        for (List<FieldItem> map : ((Search.FieldMaps) identifier.search()).alternatives()) {
            List<CostedPredicate> items = new ArrayList<>();
            for (FieldItem item : map) {
                try {
                    items.add(item(item, scans));
                } catch (SigmaRuleException e) {
                    throw new SigmaRuleException("search identifier '" + identifier.name() + "', field '"
                            + item.spec().written() + "': " + e.getMessage(), e);
                }
            }
            alternatives.add(CostedPredicate.CHEAPEST_FIRST.and(items));
        }
        return alternatives.size() == 1 ? alternatives.get(0) : CostedPredicate.CHEAPEST_FIRST.or(alternatives);
    }

    private CostedPredicate item(FieldItem item, ContainsScans scans) throws SigmaRuleException {
        return CostedPredicate.entry(FieldMatchers.compile(item, context, scans), item);
    }
}
