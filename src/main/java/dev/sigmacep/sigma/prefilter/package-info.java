/**
 * The literal prefilter: which rules can match an event at all, found without evaluating them.
 *
 * <ol>
 *   <li>{@link dev.sigmacep.sigma.prefilter.NecessaryConditions} derives each rule's
 *       {@link dev.sigmacep.sigma.prefilter.NecessaryCondition} from its detection section: literals of which one
 *       must occur (case-insensitively) in a field's value, or ALWAYS when nothing safe is known.</li>
 *   <li>{@link dev.sigmacep.sigma.prefilter.RulePrefilter} builds one
 *       {@link dev.sigmacep.sigma.text.AhoCorasick} automaton per field over those literals and, per event,
 *       scans each value once to collect the candidate rules in a reused
 *       {@link dev.sigmacep.sigma.prefilter.CandidateSet}.</li>
 * </ol>
 * A condition may only be weaker than its rule, never stronger: every shortcut here selects more rules, never fewer.
 * {@code route.PrefilterDifferentialTest} checks that the prefiltered results equal brute force on real telemetry.
 */
package dev.sigmacep.sigma.prefilter;
