package org.obkm.api.settings;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The settings a cluster holds once for every node (token lifetimes, profiles, DPoP, mTLS trust, ...),
 * kept in the shared database. A change made on any node bumps the cluster's settings version, reaches
 * every member over the invalidation bus and is applied there to the node's own configuration of that
 * PID (so it takes effect as a change of the {@code etc/} file would, without restart). Per-node keys
 * (ports, bind address, cluster members, the node's key store, the database URL) are refused.
 * Secret values are stored encrypted and never returned in clear: {@link Setting#value()} of a secret is
 * {@link #MASK}.
 */
@ProviderType
public interface ClusterSettings {

    /** What is shown instead of a secret value. */
    String MASK = "********";

    /**
     * One setting held by the cluster.
     *
     * @param value the value, {@link #MASK} for a secret, {@code null} when the setting was unset
     * @param version the cluster settings version of its last change
     * @param updatedBy who changed it (the shell user and the node)
     */
    record Setting(String pid, String key, String value, boolean secret, long version, String updatedBy,
            Instant updatedAt) {
    }

    /**
     * A setting whose effective value is not the same on every member, or not the cluster's.
     *
     * @param clusterValue the cluster's value ({@link #MASK} for a secret), {@code null} when the
     *                     cluster holds none (a key only set in the members' files)
     * @param byMember each member's effective value ({@link #MASK}-based digest for a secret, {@code null}
     *                 when absent there), keyed by the member's name
     */
    record Difference(String pid, String key, String clusterValue, Map<String, String> byMember) {
    }

    /**
     * Sets a per-cluster setting; returns the new cluster settings version once every member confirmed
     * it (or the bus bound passed: the members that missed it apply it at their next poll).
     *
     * @param secret store and show it as a secret (keys named like a password or secret always are)
     * @throws IllegalArgumentException for a per-node or unknown PID or key, or a bad value
     */
    long set(String pid, String key, String value, boolean secret, String by);

    /** Removes the cluster's value: every node drops the key, its default applies; returns the version. */
    long unset(String pid, String key, String by);

    /** The settings the cluster holds, of one PID or of all ({@code pid} null), unset ones left out. */
    List<Setting> list(String pid);

    /** The cluster settings version this node has applied, and the newest in the database. */
    long appliedVersion();

    /** This node's effective value of a key (its configuration), {@link #MASK} for a secret; null if none. */
    String effective(String pid, String key);

    /** Whether a key is per node (refused by {@link #set}), with the reason; null when it is per cluster. */
    String perNodeReason(String pid, String key);

    /** Every setting whose effective value differs between the members or from the cluster's value. */
    List<Difference> differences();
}
