package org.obkm.api.cluster;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The members of the cluster as this node sees them. */
@ProviderType
public interface ClusterMembership {

    /**
     * One member.
     *
     * @param uuid member UUID
     * @param address host:port of its cluster endpoint
     * @param local whether it is this node
     */
    record Member(String uuid, String address, boolean local) {
    }

    /** Whether this node has joined (or formed) the cluster. */
    boolean joined();

    String clusterName();

    List<Member> members();
}
