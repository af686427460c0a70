package org.obkm.api.token;

import java.time.Instant;
import java.util.Objects;

/**
 * A refresh token as stored: never the token, only its hash.
 *
 * @param tokenHash base64url SHA-256 of the token value
 * @param grantId   the grant (token family) it belongs to
 * @param issuedAt  when it was issued
 * @param expiresAt when it stops working
 * @param usedAt    when it was rotated out (used once), or null while it is the family's current token
 */
public record RefreshToken(String tokenHash, String grantId, Instant issuedAt, Instant expiresAt, Instant usedAt) {

    public RefreshToken {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
