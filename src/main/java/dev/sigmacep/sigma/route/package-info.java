/**
 * Evaluating a rule pack per event: {@link dev.sigmacep.sigma.route.CompiledRulePack#match} sends an event to the
 * rules of its logsource only (by Channel and EventID, as {@link dev.sigmacep.sigma.route.LogsourceRouter} maps
 * logsources from {@code /sigma/logsources.yaml}), of those evaluates only the ones the prefilter selects, and
 * reports the rules that match by index. This is the hot path of the detect stage.
 */
package dev.sigmacep.sigma.route;
