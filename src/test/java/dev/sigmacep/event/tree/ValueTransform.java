package dev.sigmacep.event.tree;

/** Value transforms the mapping file can name. */
enum ValueTransform {
    /** {@code 0xc2c} to {@code 3116} (Security log process ids); other values unchanged. */
    HEX_TO_DECIMAL("hex-to-decimal") {
        @Override
        String apply(String value) {
            if (value.length() < 3 || value.length() > 18 || value.charAt(0) != '0'
                    || (value.charAt(1) != 'x' && value.charAt(1) != 'X')) {
                return value;
            }
            try {
                return Long.toUnsignedString(Long.parseUnsignedLong(value.substring(2), 16));
            } catch (NumberFormatException e) {
                return value;
            }
        }
    },
    /**
     * {@code 3e91c0d7-0b83-65f0-01b0-000000000e00} to {@code {3e91c0d7-0b83-65f0-01b0-000000000e00}}: Sysmon writes
     * its GUIDs in braces, ASIM parsers strip them; with the braces back, group-by values such as ProcessGuid are
     * those of the same event in Sysmon form. Values that are not a bare GUID are unchanged.
     */
    BRACED_GUID("braced-guid") {
        @Override
        String apply(String value) {
            if (value.length() != 36) return value;
            for (int i = 0; i < 36; i++) {
                char c = value.charAt(i);
                boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
                if (dash ? c != '-' : !isHexDigit(c)) return value;
            }
            return "{" + value + "}";
        }
    };

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private final String name;

    ValueTransform(String name) {
        this.name = name;
    }

    abstract String apply(String value);

    static ValueTransform named(String name) {
        for (ValueTransform t : values()) {
            if (t.name.equals(name)) return t;
        }
        throw new IllegalArgumentException("unknown transform '" + name + "'");
    }
}
