/** Logging for what may happen once per record: rate-limited. Depends on SLF4J only; the lowest package. */
package dev.sigmacep.log;
