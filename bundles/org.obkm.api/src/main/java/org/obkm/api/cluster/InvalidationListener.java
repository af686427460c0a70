package org.obkm.api.cluster;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A node-local cache, registered as a whiteboard service with the property {@link #REGION}.
 * {@link #invalidateAll()} is also called when a member leaves, when a split cluster merges and when
 * this node joins, since messages may have been missed then.
 */
@ConsumerType
public interface InvalidationListener {

    /** Service property naming the cache region this listener serves. */
    String REGION = "obkm.invalidation.region";

    void invalidate(String key);

    void invalidateAll();
}
