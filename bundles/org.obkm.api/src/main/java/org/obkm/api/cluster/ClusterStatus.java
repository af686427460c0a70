package org.obkm.api.cluster;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What an operator asks of the cluster ({@code obkm:cluster-status}): each member with the version,
 * start and health it last reported (every member publishes them, authenticated, every few seconds),
 * and the state of the partitions that hold the shared maps.
 *
 * @since 1.2
 */
@ProviderType
public interface ClusterStatus {

    /**
     * One part of a member's health, as its {@code /health} shows it.
     *
     * @param name part, e.g. {@code database}, {@code userstores}
     * @param up whether it can serve
     * @param detail short phrase, never a secret
     */
    record Part(String name, boolean up, String detail) {
    }

    /**
     * A member as this node sees it.
     *
     * @param uuid member UUID
     * @param address host:port of its cluster endpoint
     * @param local whether it is this node
     * @param version OBKM version it runs, or {@code null} while it has not reported
     * @param started when its JVM started, or {@code null}
     * @param health {@code UP}, {@code DOWN}, {@code DRAINING} or {@code STOPPING}, or {@code null}
     * @param parts its health parts
     * @param reported when it last reported, or {@code null}
     */
    record Member(String uuid, String address, boolean local, String version, Instant started, String health,
            List<Part> parts, Instant reported) {
    }

    /**
     * The partitions of the shared maps.
     *
     * @param count partitions
     * @param withoutOwner partitions no member owns (data of those is unreachable)
     * @param clusterSafe whether every partition has its backups in sync (no migration running)
     * @param localMemberSafe whether this member's partitions are backed up, so it may leave without loss
     * @param migrating whether a migration is running now
     * @param lastMigrationCompleted migrations completed in the last (or running) migration process
     * @param lastMigrationPlanned migrations planned in it
     */
    record Partitions(int count, int withoutOwner, boolean clusterSafe, boolean localMemberSafe, boolean migrating,
            int lastMigrationCompleted, int lastMigrationPlanned) {
    }

    /** Whether this node has joined the cluster; before that the other calls throw. */
    boolean joined();

    String clusterName();

    /** The members, this one included, in the cluster's order. */
    List<Member> members();

    Partitions partitions();
}
