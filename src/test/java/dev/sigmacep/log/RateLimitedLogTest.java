package dev.sigmacep.log;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** At most so many lines a minute, the next one saying how many were left out, errors with their stack trace. */
class RateLimitedLogTest {
    private final List<String> lines = new ArrayList<>();
    private final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[]{Logger.class}, (proxy, method, args) -> {
                if (method.getName().equals("warn") || method.getName().equals("error")) {
                    lines.add(method.getName() + " " + args[0]
                            + (args.length > 1 && args[1] instanceof Throwable t ? " [" + t.getMessage() + "]" : ""));
                }
                return null;
            });

    @Test
    void aFloodCostsAFewLinesAMinute() {
        AtomicLong nanos = new AtomicLong();
        RateLimitedLog log = new RateLimitedLog(logger, 2, nanos::get);
        for (int i = 0; i < 1000; i++) {
            log.warn("bad record " + i);
        }
        assertThat(lines).containsExactly("warn bad record 0", "warn bad record 1");
        nanos.addAndGet(61_000_000_000L);
        log.error("a bug", new IllegalStateException("boom"));
        log.warn("bad record again");
        log.warn("left out");
        assertThat(lines).containsExactly("warn bad record 0", "warn bad record 1",
                "error a bug (998 similar messages left out in the last minute) [boom]", "warn bad record again");
    }
}
