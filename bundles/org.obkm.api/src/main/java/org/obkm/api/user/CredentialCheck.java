package org.obkm.api.user;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Capability: check a password (the knowledge factor of end-user authentication; the login page of
 * the authorization endpoint, OpenID Connect Core 1.0 section 3.1.2.3).
 *
 * <p>A store must not let a caller tell an unknown user from a wrong password, neither by the
 * result nor by the time taken, and counts failures towards its lockout policy.
 */
@ConsumerType
public interface CredentialCheck extends UserStore {

    /**
     * Checks the password of the user with this username (without domain). Never throws for a wrong
     * password, an unknown user, a locked user or an unreachable store: the result says which. The
     * caller should clear {@code password} afterwards.
     */
    AuthenticationResult authenticate(String username, char[] password);
}
