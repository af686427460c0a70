package org.obkm.api.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Grants, authorization codes and refresh tokens in the shared database. Codes and refresh tokens are
 * stored as hashes only. Every one-time use is one conditional UPDATE of one row; its affected-row
 * count decides (DESIGN rule 9). Failures of the database throw {@link IllegalStateException}.
 */
@ProviderType
public interface GrantStore {

    /** Records a new grant. */
    void createGrant(Grant grant);

    /** A grant by id, revoked or not. */
    Optional<Grant> findGrant(String grantId);

    /** The grants of a user, newest first (for consent management). */
    List<Grant> grantsOf(String subject);

    /** Revokes a grant and so every code and token of it. Idempotent; returns whether this call revoked it. */
    boolean revokeGrant(String grantId, Instant at);

    /** Whether the grant is revoked (or gone). One primary-key read, for introspection. */
    boolean isGrantRevoked(String grantId);

    /** Records an authorization code (its hash) of a grant, unused, valid until {@code expiresAt}. */
    void addCode(String codeHash, String grantId, Instant expiresAt);

    /**
     * Uses a code: succeeds for exactly one caller, only before it expires and while its grant is not
     * revoked. A code used before gives {@link OneTimeUse.Outcome#ALREADY_USED} with its grant id.
     */
    OneTimeUse useCode(String codeHash, Instant now);

    /** Records a refresh token (its hash), current in its family. */
    void addRefreshToken(RefreshToken token);

    /**
     * Rotates a refresh token: marks {@code oldHash} used and records {@code next} in the same
     * transaction, for exactly one caller, only while unexpired and its grant is not revoked. A token
     * used before gives {@link OneTimeUse.Outcome#ALREADY_USED} (nothing recorded).
     */
    OneTimeUse rotateRefreshToken(String oldHash, RefreshToken next, Instant now);

    /** A refresh token by hash. */
    Optional<RefreshToken> findRefreshToken(String tokenHash);

    /** Deletes expired codes, refresh tokens and grants; returns how many rows. */
    int purgeExpired(Instant now);
}
