package org.obkm.api.cluster;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Offered by an {@link InvalidationListener} whose cache counts what it does: the operator's
 * {@code obkm:cache-stats} and {@code /metrics} show its size and hit ratio beside the invalidations.
 *
 * @since 1.2
 */
@ConsumerType
public interface CacheStatistics {

    /**
     * What the cache holds and how often it answered from memory.
     *
     * @param size entries held now
     * @param hits lookups answered from the cache since the node started
     * @param misses lookups that went to the source
     */
    record Counts(long size, long hits, long misses) {
    }

    /** Counted without locking; cheap enough for every scrape. */
    Counts counts();
}
