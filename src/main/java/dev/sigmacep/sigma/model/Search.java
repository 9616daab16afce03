package dev.sigmacep.sigma.model;

import java.io.Serializable;
import java.util.List;

/** What a search identifier looks for: field values (maps) or keywords anywhere in the event. */
public sealed interface Search extends Serializable permits Search.FieldMaps, Search.Keywords {

    /**
     * A map (all of its items must hold) or a list of maps (any of them): {@code alternatives} holds one map for the
     * former, each map's items in the order written.
     */
    record FieldMaps(List<List<FieldItem>> alternatives) implements Search {
        public FieldMaps {
            alternatives = alternatives.stream().map(List::copyOf).toList();
        }
    }

    /** A plain value or list of values, each searched for in every value of the event (field name ""). */
    record Keywords(FieldItem item) implements Search {
    }
}
