package org.obkm.keys.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@code org.obkm.keys}: the secret that encrypts private keys at rest. */
@ObjectClassDefinition(name = "OBKM key encryption",
        description = "Secret under which signing keys and shared secrets are encrypted in the database")
public @interface KeyEncryptionConfig {

    @AttributeDefinition(type = AttributeType.PASSWORD, required = false,
            description = "Key encryption secret. Every node of a cluster must have the same. Empty: the "
                    + "environment variable OBKM_ENCRYPTION_SECRET, else a secret generated into secretFile "
                    + "(fit for a single node only)")
    String encryptionSecret() default "";

    @AttributeDefinition(description = "Where a generated secret is kept when none is configured")
    String secretFile() default "";
}
