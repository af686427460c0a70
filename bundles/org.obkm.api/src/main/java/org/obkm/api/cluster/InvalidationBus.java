package org.obkm.api.cluster;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps node-local caches coherent. {@link #invalidate} reaches the {@link InvalidationListener}s of
 * the region on every cluster member, this one included, and returns when every member confirmed it
 * or the configured bound passed. Messages are authenticated with a key shared through the database.
 */
@ProviderType
public interface InvalidationBus {

    /**
     * Invalidates one key of a region on every member.
     *
     * @param region cache region, e.g. {@code clients}
     * @param key the entry to drop, or {@code null} for the whole region
     * @return whether every member confirmed within the bound
     */
    boolean invalidate(String region, String key);
}
