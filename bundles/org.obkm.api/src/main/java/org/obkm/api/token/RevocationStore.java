package org.obkm.api.token;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Revoked tokens (RFC 7009), kept in the shared database until the token would have expired, so a
 * revocation holds on every node and survives any node.
 */
@ProviderType
public interface RevocationStore {

    /** Records a revocation; revoking twice is harmless. */
    void revoke(String tokenId, String clientId, Instant expiresAt);

    /** Whether the token with this ID was revoked. */
    boolean isRevoked(String tokenId);

    /** Deletes revocations of tokens that have expired anyway; returns how many. */
    int purgeExpired(Instant now);
}
