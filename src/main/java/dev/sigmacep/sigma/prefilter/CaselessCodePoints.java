package dev.sigmacep.sigma.prefilter;

import java.util.BitSet;

/**
 * Supplementary code points that {@code String.regionMatches(true, ...)} considers equal to no other code point:
 * their case mappings are the identity and no other code point maps to them. Such a code point found ignoring case
 * is found exactly, so its surrogate pair can be part of a literal.
 */
final class CaselessCodePoints {
    /**
     * supplementary code points some other code point upper-cases or lower-cases to. Only supplementary code points
     * map to supplementary ones (a test checks every BMP code point), so the scan starts there: the rule pack's first
     * emoji made the whole range's case mappings part of every start.
     */
    private static final BitSet MAPPING_TARGETS = mappingTargets();

    private CaselessCodePoints() {
    }

    static boolean contains(int codePoint) {
        return Character.isSupplementaryCodePoint(codePoint) && Character.isValidCodePoint(codePoint)
                && !MAPPING_TARGETS.get(codePoint)
                && Character.toUpperCase(codePoint) == codePoint && Character.toLowerCase(codePoint) == codePoint;
    }

    private static BitSet mappingTargets() {
        BitSet targets = new BitSet(Character.MAX_CODE_POINT + 1);
        for (int cp = Character.MIN_SUPPLEMENTARY_CODE_POINT; cp <= Character.MAX_CODE_POINT; cp++) {
            int upper = Character.toUpperCase(cp);
            int folded = Character.toLowerCase(upper);
            if (upper != cp) {
                targets.set(upper);
            }
            if (folded != cp) {
                targets.set(folded);
            }
        }
        return targets;
    }
}
