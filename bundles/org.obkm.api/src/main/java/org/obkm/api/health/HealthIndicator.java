package org.obkm.api.health;

import org.osgi.annotation.versioning.ConsumerType;

/** One part of the node's health (database, cluster, keys), aggregated by {@code /health}. */
@ConsumerType
public interface HealthIndicator {

    /**
     * The outcome of a check.
     *
     * @param up whether this part can serve
     * @param detail a short word or phrase for operators; never a secret
     */
    record Status(boolean up, String detail) {
        public static Status up(String detail) {
            return new Status(true, detail);
        }

        public static Status down(String detail) {
            return new Status(false, detail);
        }
    }

    /** Name of the part, used as the JSON key. */
    String name();

    /** Checks quickly (bounded by a short timeout); never throws. */
    Status check();
}
