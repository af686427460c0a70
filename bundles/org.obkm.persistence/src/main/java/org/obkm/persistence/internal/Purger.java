package org.obkm.persistence.internal;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired rows of a store every 10 minutes on a daemon thread of its own. Every node runs one;
 * the deletes are idempotent, so nodes purging at once only repeat each other's work.
 */
final class Purger {

    private static final Logger LOG = LoggerFactory.getLogger(Purger.class);

    private final ScheduledExecutorService executor;

    /**
     * @param what  the rows, for the thread name and log lines ("revocations")
     * @param purge deletes rows expired at the given instant, returns how many
     */
    Purger(String what, ToIntFunction<Instant> purge) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "obkm-purge-" + what.split(" ")[0].replace(",", ""));
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                int n = purge.applyAsInt(Instant.now());
                if (n > 0) {
                    LOG.debug("Purged {} expired {}", n, what);
                }
            } catch (RuntimeException e) {
                LOG.warn("Purging expired {} failed: {}", what, e.getMessage());
            }
        }, 5, 10, TimeUnit.MINUTES);
    }

    void stop() {
        executor.shutdownNow();
    }
}
