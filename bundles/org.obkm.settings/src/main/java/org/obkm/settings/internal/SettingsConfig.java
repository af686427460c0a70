package org.obkm.settings.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@code org.obkm.settings}: how this node follows the cluster's settings (per node). */
@ObjectClassDefinition(name = "OBKM cluster settings", description = "How this node follows the cluster's settings")
public @interface SettingsConfig {

    @AttributeDefinition(description = "How often the database's settings version is read, ms: the safety net"
            + " for a change whose cluster message this node missed")
    long pollMillis() default 2000;

    @AttributeDefinition(description = "How often this node's effective settings are compared with the other"
            + " members', ms")
    long compareMillis() default 1000;
}
