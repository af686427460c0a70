package org.obkm.oauth.internal.endpoint;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@code org.obkm.shutdown}: how a stopping node drains. */
@ObjectClassDefinition(name = "OBKM graceful stop", description = "How long a stopping node drains")
public @interface DrainConfig {

    @AttributeDefinition(description = "Longest drain, seconds: /health answers 503 DRAINING while the node"
            + " still serves; then the node stops whatever is in flight (0: no drain)")
    int drainSeconds() default 5;

    @AttributeDefinition(description = "The drain ends early once no request has come for this long, and none"
            + " is in flight, ms")
    long quietMillis() default 1000;
}
