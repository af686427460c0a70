package org.obkm.oauth.internal.request;

import org.obkm.oauth.internal.OAuthException;

/**
 * One named rule an authorization request must pass, in the manner of Keycloak's client policy
 * executors: a client profile ({@link ClientProfile}) is nothing but a configured list of these names,
 * so a profile differs from another only in which checks it lists, never in code paths.
 * A check either returns or throws the OAuth error the request deserves (RFC 9126 §2.3, RFC 9101 §6.3).
 */
@FunctionalInterface
public interface AuthorizationRequestCheck {

    public void check(RequestContext request) throws OAuthException;
}
