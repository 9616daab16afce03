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
    };

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
