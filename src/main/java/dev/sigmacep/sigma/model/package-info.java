/**
 * The Sigma detection language as typed values: a {@link dev.sigmacep.sigma.model.Detection} of
 * {@link dev.sigmacep.sigma.model.SearchIdentifier}s (field maps or keywords of
 * {@link dev.sigmacep.sigma.model.FieldItem}s, each a {@link dev.sigmacep.sigma.model.FieldSpec} with its
 * {@link dev.sigmacep.sigma.model.Modifier} chain, checked when parsed) and a {@link dev.sigmacep.sigma.model.Condition}
 * tree. The loader builds it from YAML; the predicate compiler and the prefilter both read it, never the YAML maps.
 */
package dev.sigmacep.sigma.model;
