package org.obkm.cluster.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@code org.obkm.cluster}: the Hazelcast member of this node. */
@ObjectClassDefinition(name = "OBKM cluster", description = "Hazelcast member that keeps node caches coherent")
public @interface ClusterConfig {

    @AttributeDefinition(description = "Cluster name; nodes with another name never join")
    String clusterName() default "obkm";

    @AttributeDefinition(description = "Members to join, host:port, comma-separated. Empty: this node alone")
    String members() default "";

    @AttributeDefinition(description = "Private address the member binds to (never a public interface: the"
            + " cluster port is no trust boundary)")
    String bindAddress() default "127.0.0.1";

    @AttributeDefinition(description = "Member port; 0 means system property obkm.cluster.port, else 4000 plus"
            + " the port offset")
    int port() default 0;

    @AttributeDefinition(description = "How long an invalidation waits for every member to confirm, ms")
    long invalidationTimeoutMillis() default 2000;

    @AttributeDefinition(description = "Heartbeat interval, seconds")
    int heartbeatSeconds() default 1;

    @AttributeDefinition(description = "A member silent this long is removed, seconds")
    int maxNoHeartbeatSeconds() default 5;

    @AttributeDefinition(description = "Quorum: the fewest members this node must see to serve shared state and"
            + " report healthy. 0: a majority of the configured members (this node counted) when they are three or"
            + " more, else 1 (two nodes must each serve alone when the other dies)")
    int minimumMembers() default 0;
}
