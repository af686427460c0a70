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
     * Compare-and-set: replaces the value only while it is still the one this caller read, as Hazelcast's
     * {@code IMap.replace(key, oldValue, newValue)} does. Of callers that read the same value and replace
     * it concurrently, at most one succeeds; the others re-read and decide again. A state machine kept
     * here thus moves in one atomic change and is never out of the map (DESIGN rule 6).
     *
     * @param expectedValue the value as {@link #get} returned it
     * @param ttl           how long the new value lives from now
     * @return {@code true} if this call stored {@code newValue}; {@code false} if the key is absent or
     *         holds another value (nothing changed)
     * @since 1.1
     */
    boolean replace(String map, String key, byte[] expectedValue, byte[] newValue, Duration ttl);

    /**
     * Compare-and-remove: removes the entry only while it still holds the value this caller read, as
     * {@code IMap.remove(key, value)}. Ends a state machine exactly once.
     *
     * @return {@code true} if this call removed it
     * @since 1.1
     */
    boolean remove(String map, String key, byte[] expectedValue);

    /**
     * Records the first use of an identifier (a JWT {@code jti}) until it expires.
     *
     * @return {@code true} the first time, {@code false} for a replay
     */
    default boolean firstUse(String namespace, String id, Duration ttl) {
        return putIfAbsent(namespace, id, new byte[] {1}, ttl);
    }
}
