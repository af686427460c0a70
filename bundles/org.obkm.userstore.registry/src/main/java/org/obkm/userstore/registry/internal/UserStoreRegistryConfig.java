package org.obkm.userstore.registry.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@code org.obkm.userstore.registry}: how sign-in names name their user store. */
@ObjectClassDefinition(name = "OBKM user store registry",
        description = "Resolution of sign-in names of the form DOMAIN/username to user stores")
public @interface UserStoreRegistryConfig {

    @AttributeDefinition(description = "Separator between the domain and the username; no username of any store "
            + "may contain it")
    String domainSeparator() default "/";
}
