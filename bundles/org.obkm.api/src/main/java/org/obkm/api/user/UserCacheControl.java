package org.obkm.api.user;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Capability of stores that cache lookups on each node (a directory's users and groups). The
 * registry calls it on every node when an invalidation for the store's domain arrives on the
 * cluster's invalidation bus (region {@value #REGION}, key {@code DOMAIN} or {@code DOMAIN/username}).
 */
@ConsumerType
public interface UserCacheControl extends UserStore {

    /** Invalidation bus region of user store caches. */
    String REGION = "userstore";

    /** Drops what is cached of this user (username without domain). */
    void invalidate(String username);

    /** Drops everything cached. */
    void invalidateAll();
}
