package dev.sigmacep.sigma.match;

import dev.sigmacep.sigma.model.Modifier;
import dev.sigmacep.sigma.model.FieldSpec;
import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.text.Encodings;
import dev.sigmacep.sigma.text.WildcardString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles one value of a string-pattern chain: parses Sigma escapes and wildcards, then applies the chain's
 * modifiers in the order written (the spec applies modifiers left to right), e.g. {@code wide|base64offset|contains}
 * encodes first and then matches the three encodings anywhere.
 */
final class StringPatternCompiler {
    private StringPatternCompiler() {
    }

    /** A value on its way through the chain; {@code binary} once an encoding made it a byte string. */
    private record Variant(WildcardString pattern, boolean binary) {
    }

    /**
     * @param patterns the value's patterns: one, or several when {@code expand} substituted a placeholder
     * @param anywhere match the final patterns anywhere in the value, as keywords do without a position modifier
     */
    static ValueMatcher compile(FieldSpec spec, List<WildcardString> patterns, boolean anywhere)
            throws SigmaRuleException {
        List<Variant> variants = new ArrayList<>();
        for (WildcardString pattern : patterns) {
            variants.add(new Variant(pattern, false));
        }
        for (Modifier modifier : spec.modifiers()) {
            List<Variant> next = new ArrayList<>();
            for (Variant variant : variants) {
                apply(spec, modifier, variant, next);
            }
            variants = next;
        }
        List<ValueMatcher> matchers = new ArrayList<>(variants.size());
        for (Variant variant : variants) {
            WildcardString pattern = anywhere ? variant.pattern().contained() : variant.pattern();
            matchers.add(new GlobMatcher(pattern, spec.caseSensitive()));
        }
        return AnyOfMatcher.of(matchers);
    }

    private static void apply(FieldSpec spec, Modifier modifier, Variant variant, List<Variant> out)
            throws SigmaRuleException {
        WildcardString pattern = variant.pattern();
        switch (modifier) {
            case CONTAINS -> out.add(new Variant(pattern.contained(), variant.binary()));
            case STARTSWITH -> out.add(new Variant(pattern.endingAnywhere(), variant.binary()));
            case ENDSWITH -> out.add(new Variant(pattern.startingAnywhere(), variant.binary()));
            case WINDASH -> out.add(new Variant(pattern.withDashesInterchangeable(), variant.binary()));
            case UTF16LE, WIDE -> out.add(binary(Encodings.utf16le(plain(spec, modifier, pattern))));
            case UTF16BE -> out.add(binary(Encodings.utf16be(plain(spec, modifier, pattern))));
            case UTF16 -> out.add(binary(Encodings.utf16WithBom(plain(spec, modifier, pattern))));
            case BASE64 -> out.add(text(Encodings.base64(bytes(spec, modifier, variant))));
            case BASE64OFFSET -> {
                for (String encoded : Encodings.base64Offsets(bytes(spec, modifier, variant))) {
                    out.add(text(encoded));
                }
            }
            // the other modifiers of a string chain (all, neq, cased, expand) do not change the pattern
            default -> out.add(variant);
        }
    }

    private static Variant binary(byte[] encoded) {
        return new Variant(WildcardString.literal(Encodings.asChars(encoded)), true);
    }

    private static Variant text(String encoded) {
        return new Variant(WildcardString.literal(encoded), false);
    }

    /** The bytes an encoding modifier encodes: a byte string as is, text as UTF-8. */
    private static byte[] bytes(FieldSpec spec, Modifier modifier, Variant variant) throws SigmaRuleException {
        String plain = plain(spec, modifier, variant.pattern());
        return variant.binary() ? plain.getBytes(StandardCharsets.ISO_8859_1) : plain.getBytes(StandardCharsets.UTF_8);
    }

    /** Encodings need concrete text: a wildcard or windash dash has no encoded form. */
    private static String plain(FieldSpec spec, Modifier modifier, WildcardString pattern) throws SigmaRuleException {
        if (pattern.hasSpecials()) {
            throw new SigmaRuleException("modifier '" + modifier + "' in '" + spec.written()
                    + "' cannot encode the wildcards or windash dashes of '" + pattern
                    + "' (put contains/startswith/endswith after the encoding, and escape literal * and ?)");
        }
        return pattern.plain();
    }
}
