package org.obkm.api.health;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's drain, for an operator ({@code obkm:node-drain}): {@code /health} answers 503
 * {@code DRAINING}, so the load balancer takes the node out, while every request that still comes is
 * served. A drain the operator asked for holds until {@link #resume()}; a stop of the node drains the
 * same way and then stops it.
 *
 * @since 1.1
 */
@ProviderType
public interface DrainControl {

    /** {@code SERVING}, {@code DRAINING} or {@code STOPPING}. */
    String phaseName();

    /**
     * Takes the node out of rotation and waits until no request came for the quiet time and none is in
     * flight, at most the drain bound ({@code etc/org.obkm.shutdown.cfg}). The node stays out until
     * {@link #resume()} or a stop.
     *
     * @return requests still in flight when the wait ended
     * @throws IllegalStateException when the node is already stopping
     */
    int drain();

    /**
     * Ends an operator's drain: {@code /health} answers as before and the balancer sends traffic again.
     *
     * @return {@code false} when the node was not drained by an operator (serving, or stopping)
     */
    boolean resume();
}
