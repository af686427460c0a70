package org.obkm.api.token;

import java.time.Instant;
import java.util.Objects;

/**
 * An authorization a user gave a client on the consent page (OAuth 2.0 Security BCP §4.14: the
 * "grant" from which a code, and then access and refresh tokens, descend). Revoking it invalidates
 * everything issued from it: a reused code or a replayed rotated-out refresh token does that.
 *
 * @param grantId   random, unique
 * @param clientId  the client
 * @param subject   the user's subject ({@code sub})
 * @param scope     the granted scope, space-separated
 * @param details   further facts of the grant as a JSON object (auth_time, acr, user domain, nonce,
 *                  sender binding, ...), opaque to the store
 * @param createdAt when it was granted
 * @param expiresAt after this no token of it may be refreshed and the row may be purged
 * @param revokedAt when it was revoked, or null
 */
public record Grant(String grantId, String clientId, String subject, String scope, String details,
        Instant createdAt, Instant expiresAt, Instant revokedAt) {

    public Grant {
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subject, "subject");
        scope = scope == null ? "" : scope;
        details = details == null ? "{}" : details;
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }
}
