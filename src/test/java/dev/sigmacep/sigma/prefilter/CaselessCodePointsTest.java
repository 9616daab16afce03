package dev.sigmacep.sigma.prefilter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaselessCodePointsTest {

    /** What lets CaselessCodePoints look for mapping targets among supplementary code points only. */
    @Test
    void noBmpCodePointCaseMapsOutsideTheBmp() {
        for (int each = 0; each < Character.MIN_SUPPLEMENTARY_CODE_POINT; each++) {
            int cp = each;
            int upper = Character.toUpperCase(cp);
            assertFalse(Character.isSupplementaryCodePoint(upper), () -> "upper case of U+" + Integer.toHexString(cp));
            assertFalse(Character.isSupplementaryCodePoint(Character.toLowerCase(upper)),
                    () -> "lower case of the upper case of U+" + Integer.toHexString(cp));
        }
    }

    @Test
    void caselessOnlyWhereNothingMapsToOrFromTheCodePoint() {
        assertTrue(CaselessCodePoints.contains(0x1F600)); // 😀: no case
        assertFalse(CaselessCodePoints.contains(0x10400)); // DESERET CAPITAL LONG I: lower-cases to U+10428
        assertFalse(CaselessCodePoints.contains(0x10428)); // its small form: upper-cases to U+10400
        assertFalse(CaselessCodePoints.contains('a')); // not supplementary
        assertEquals(0x10428, Character.toLowerCase(0x10400));
    }
}
