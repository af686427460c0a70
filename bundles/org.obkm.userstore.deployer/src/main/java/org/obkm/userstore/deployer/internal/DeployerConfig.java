package org.obkm.userstore.deployer.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@code org.obkm.userstore.deployer}: the shared user store folder and how often it is read. */
@ObjectClassDefinition(name = "OBKM user store deployer",
        description = "Secondary user stores from files in a folder that every node of the cluster shares")
public @interface DeployerConfig {

    @AttributeDefinition(description = "The user store folder; a relative path is relative to karaf.home. "
            + "Meant to be a shared mount: every node watching it brings each store up")
    String directory() default "repository/deployment/server/userstores";

    @AttributeDefinition(description = "How often the folder is read, in milliseconds (at least 100). A change "
            + "is taken once two reads agree on it, so it applies within about twice this")
    long pollMillis() default 1000;
}
