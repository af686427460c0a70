package org.obkm.userstore.jdbc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@code org.obkm.userstore.jdbc}: password hashing, lockout and password policy. */
@ObjectClassDefinition(name = "OBKM primary user store",
        description = "Users in the shared database: password hashing, lockout after failed sign-ins, password policy")
public @interface JdbcUserStoreConfig {

    @AttributeDefinition(min = "1000", max = "10000000",
            description = "PBKDF2-HMAC-SHA256 iterations for new hashes (OWASP 2023: at least 600000). Raising it "
                    + "re-hashes each password at its owner's next successful sign-in")
    int pbkdf2Iterations() default Settings.DEFAULT_PBKDF2_ITERATIONS;

    @AttributeDefinition(min = "0",
            description = "Failed sign-ins in a row after which a user is locked for lockoutSeconds; 0 turns lockout off")
    int maxFailedAttempts() default Settings.DEFAULT_MAX_FAILED_ATTEMPTS;

    @AttributeDefinition(min = "1", description = "How long a lockout after failed sign-ins lasts, seconds")
    int lockoutSeconds() default Settings.DEFAULT_LOCKOUT_SECONDS;

    @AttributeDefinition(min = "8", max = "1024", description = "Shortest accepted new password, characters")
    int minPasswordLength() default Settings.DEFAULT_MIN_PASSWORD_LENGTH;
}
