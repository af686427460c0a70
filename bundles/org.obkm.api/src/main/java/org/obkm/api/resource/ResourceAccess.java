package org.obkm.api.resource;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * An accepted access token.
 *
 * @param clientId the client it was issued to
 * @param subject its {@code sub}: the user of a user's grant, the client itself for client_credentials
 * @param scopes its scopes
 * @param userGrant whether it descends from a user's authorization (authorization code or refresh),
 *        as opposed to client_credentials
 * @param tokenId its {@code jti}
 * @param expiresAt its {@code exp}
 * @param claims every claim, for what a resource needs beyond these (such as a consent it is bound to)
 */
public record ResourceAccess(String clientId, String subject, Set<String> scopes, boolean userGrant, String tokenId,
        Instant expiresAt, Map<String, Object> claims) {

    public ResourceAccess {
        scopes = Set.copyOf(scopes);
        claims = Map.copyOf(claims);
    }
}
