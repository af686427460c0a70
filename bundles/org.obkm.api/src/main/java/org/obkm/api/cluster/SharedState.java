package org.obkm.api.cluster;

import java.time.Duration;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Short-lived state shared by the cluster (replay sets, and later codes and request URIs), held in
 * Hazelcast maps with a backup. Values are encrypted and authenticated before they leave the node.
 * While this node has not joined the cluster every call throws {@link ClusterUnavailableException}:
 * callers fail closed.
 */
@ProviderType
public interface SharedState {

    /** Stores the value unless the key is present; returns whether this call stored it. */
    boolean putIfAbsent(String map, String key, byte[] value, Duration ttl);

    Optional<byte[]> get(String map, String key);

    /** Removes and returns the value atomically: at most one caller in the cluster gets it. */
    Optional<byte[]> consume(String map, String key);

    /**
     * Records the first use of an identifier (a JWT {@code jti}) until it expires.
     *
     * @return {@code true} the first time, {@code false} for a replay
     */
    default boolean firstUse(String namespace, String id, Duration ttl) {
        return putIfAbsent(namespace, id, new byte[] {1}, ttl);
    }
}
