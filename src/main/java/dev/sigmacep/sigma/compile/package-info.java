/**
 * Compiles a rule's {@code detection} section into one {@link dev.sigmacep.field.EventPredicate}:
 * {@link dev.sigmacep.sigma.compile.DetectionCompiler} turns each search identifier into a predicate (its field
 * entries through {@link dev.sigmacep.sigma.match.FieldMatchers}) and builds the condition over them, testing the
 * cheapest operands of AND and OR first ({@code CostedPredicate}).
 */
package dev.sigmacep.sigma.compile;
