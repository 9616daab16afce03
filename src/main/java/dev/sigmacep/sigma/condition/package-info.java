/**
 * The Sigma condition language: {@link dev.sigmacep.sigma.condition.ConditionParser} parses a detection's
 * {@code condition} ({@code and}, {@code or}, {@code not}, brackets, {@code 1 of}/{@code all of} patterns) into a
 * {@link dev.sigmacep.sigma.model.Condition} tree, which the detection compiler folds into predicates and the
 * prefilter into necessary conditions.
 */
package dev.sigmacep.sigma.condition;
