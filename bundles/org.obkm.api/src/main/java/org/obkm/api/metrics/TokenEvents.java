package org.obkm.api.metrics;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told by the token endpoint of each token response it sent (RFC 6749 §5.1), for the node's metrics.
 * Called on the request thread: implementations only count.
 */
@ConsumerType
public interface TokenEvents {

    /** A token response of this grant type (one the node supports) was sent. */
    void issued(String grantType);
}
