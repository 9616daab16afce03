package dev.sigmacep.sigma.match;

import java.io.Serializable;

/** Tests one scalar event value (String, Long, Integer, Double or Boolean; never null or a List). */
@FunctionalInterface
interface ValueMatcher extends Serializable {
    boolean matches(Object value);
}
