package org.obkm.api.cluster;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The node-local caches this node knows (one per invalidation region) with their counts. Clearing a
 * region cluster-wide is {@link InvalidationBus#invalidate(String, String)} with a {@code null} key.
 *
 * @since 1.2
 */
@ProviderType
public interface CacheRegions {

    /**
     * One region on this node.
     *
     * @param name region, e.g. {@code clients}
     * @param size entries held, or -1 when the cache does not count ({@link CacheStatistics})
     * @param hits lookups answered from the cache, or -1
     * @param misses lookups that went to the source, or -1
     * @param invalidationsSent invalidations of this region this node sent to the cluster
     * @param invalidationsReceived authenticated invalidations of this region this node applied (its own included)
     */
    record Region(String name, long size, long hits, long misses, long invalidationsSent, long invalidationsReceived) {

        /** Hits over lookups, or -1 when the cache does not count or had no lookup yet. */
        public double hitRatio() {
            long lookups = hits + misses;
            return hits < 0 || misses < 0 || lookups == 0 ? -1 : (double) hits / lookups;
        }
    }

    /** The regions, sorted by name. */
    List<Region> regions();
}
