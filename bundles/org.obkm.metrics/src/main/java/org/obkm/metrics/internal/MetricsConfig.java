package org.obkm.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@code org.obkm.metrics}: who may read {@code /metrics}. */
@ObjectClassDefinition(name = "OBKM metrics", description = "/metrics in the Prometheus text format")
public @interface MetricsConfig {

    @AttributeDefinition(description = "Client addresses allowed to read /metrics: IP addresses or CIDR blocks,"
            + " comma-separated. Others get 403. Default: this host's loopback only")
    String allowedAddresses() default "127.0.0.1, ::1";
}
