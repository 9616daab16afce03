/**
 * The Sigma condition language: {@link dev.sigmacep.sigma.condition.ConditionParser} parses a detection's
 * {@code condition} ({@code and}, {@code or}, {@code not}, brackets, {@code 1 of}/{@code all of} patterns) and builds
 * it with an {@link dev.sigmacep.sigma.condition.ConditionParser.Algebra}: the detection compiler builds predicates,
 * the prefilter builds necessary conditions, from the same parse.
 */
package dev.sigmacep.sigma.condition;
