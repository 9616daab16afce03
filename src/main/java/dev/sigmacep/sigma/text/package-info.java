/**
 * Text under the matchers and the prefilter: Sigma string values and the searches over event text, with no Sigma
 * modifiers and no events (depends on nothing else of the project).
 *
 * <ul>
 *   <li>{@link dev.sigmacep.sigma.text.WildcardString}: a rule value after Sigma escape processing (literals,
 *       {@code *}, {@code ?}, windash dashes); {@link dev.sigmacep.sigma.text.GlobSegment}: a run of it between two
 *       {@code *}, matched at an offset or searched for in linear time ({@code KmpSearch} for literals,
 *       {@code ShiftAndSearch} otherwise); {@link dev.sigmacep.sigma.text.AhoCorasick}: many literals found in one pass
 *       ignoring case (the prefilter's automata, and a rule's {@code contains} literals on a long value).</li>
 *   <li>{@link dev.sigmacep.sigma.text.CaseFolding}: the one case-insensitive comparison that the matchers and the
 *       prefilter share (the prefilter is exact only while both fold alike).</li>
 *   <li>{@link dev.sigmacep.sigma.text.RequiredLiteral}: the literals every match of a regex contains, in order;
 *       {@link dev.sigmacep.sigma.text.RegexBounds}: the nesting and unrolled size a regex may have before RE2/J
 *       compiles it.</li>
 *   <li>Reading event text: {@link dev.sigmacep.sigma.text.Numbers}, {@link dev.sigmacep.sigma.text.IpAddresses};
 *       encoding rule values: {@link dev.sigmacep.sigma.text.Encodings} (base64, UTF-16).</li>
 * </ul>
 * Nothing here allocates per event on the common paths.
 */
package dev.sigmacep.sigma.text;
