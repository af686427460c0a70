package org.obkm.api.cluster;

/** Thrown when shared state is needed but this node is not (yet) part of the cluster. */
public class ClusterUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message) {
        super(message);
    }
}
