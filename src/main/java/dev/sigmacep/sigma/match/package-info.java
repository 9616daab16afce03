/**
 * Sigma value matching: compiles one detection entry ({@code field|modifier|...: value or values}) into an
 * {@link dev.sigmacep.field.EventPredicate}, following the Sigma rules specification and modifiers appendix v2.1.
 *
 * <p>Entry point: {@link dev.sigmacep.sigma.match.FieldMatchers#compile}. The pipeline:
 * <ul>
 *   <li>{@code FieldSpec} splits the key; {@code ModifierChainRules} picks the chain's value type (string pattern,
 *       {@code re}, {@code cidr}, numeric/time, {@code exists}, {@code fieldref}) and rejects modifiers that do not
 *       suit it.</li>
 *   <li>{@code RuleValues} checks and lists the YAML values; {@code ValueCompiler} compiles each into a
 *       {@code ValueMatcher}: {@code StringPatternCompiler} (escapes, wildcards, position modifiers, windash,
 *       encodings, expand) into {@code GlobMatcher}s, or {@code RegexMatcher}, {@code CidrMatcher},
 *       {@code NumericMatcher}.</li>
 *   <li>{@code FieldValuePredicate} / {@code KeywordPredicate} apply the matchers to one field or to every value
 *       (OR, or AND with {@code all}); the {@code contains} matchers of one rule on one field share a
 *       {@code ContainsScan}, which finds all their literals in one pass over a long value; {@code FieldReferencePredicate}, {@code FieldExistsPredicate} and
 *       {@code FieldAbsentPredicate} cover the whole-event cases; {@code neq} negates the result with
 *       {@code Predicates.not}, as conditions do.</li>
 * </ul>
 *
 * <p>Matching runs on every event: string matchers compare with precomputed, case-folded patterns and do not
 * allocate; searches are linear in the value (KMP, bit-parallel shift-and, RE2/J). The string values and searches
 * themselves are in {@link dev.sigmacep.sigma.text}. Compiled predicates are immutable, thread-safe and Serializable.
 */
package dev.sigmacep.sigma.match;
