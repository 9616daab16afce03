/**
 * What events and rules meet on: the bottom of the package graph, depending on nothing else of the project.
 *
 * <p>An event implements {@link dev.sigmacep.field.FieldSource} (its fields by Sigma taxonomy name); every compiled
 * piece of a Sigma detection is an {@link dev.sigmacep.field.EventPredicate} over it, combined by
 * {@link dev.sigmacep.field.Predicates}. {@link dev.sigmacep.field.InternedNames} is the open-addressing name table
 * that the event and the rule prefilter both keep, so that a field name is found by identity.
 */
package dev.sigmacep.field;
