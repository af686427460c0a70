package org.obkm.api.consent;

import java.time.Instant;
import java.util.List;

/**
 * One consent resource as stored: what the TPP asked for (its {@code Data} and {@code Risk} objects as
 * the request carried them, JSON text without the fields the bank adds) and where it is in its
 * lifecycle.
 *
 * @param id the ConsentId (the intent id the authorization request names)
 * @param type the resource it was created at
 * @param clientId the TPP's client that created it; only that client may read or delete it
 * @param status its status now
 * @param createdAt CreationDateTime
 * @param statusUpdatedAt StatusUpdateDateTime
 * @param expiresAt ExpirationDateTime, or {@code null} when open-ended
 * @param data the request's {@code Data} object, JSON text
 * @param risk the request's {@code Risk} object, JSON text, or {@code null} for a type without one
 * @param subject the PSU who authorised it, once authorised (or rejected by a known PSU); else {@code null}
 * @param accounts the account ids the PSU selected on authorising it; empty before
 * @param deletedAt when the TPP deleted it (a soft delete: a deleted consent reads as unknown), or {@code null}
 */
public record Consent(String id, ConsentType type, String clientId, ConsentStatus status, Instant createdAt,
        Instant statusUpdatedAt, Instant expiresAt, String data, String risk, String subject, List<String> accounts,
        Instant deletedAt) {

    public Consent {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
    }

    /** Whether its ExpirationDateTime has passed at {@code now}. */
    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }

    /** Whether tokens bound to it may be honoured at {@code now}: Authorised, not expired, not deleted. */
    public boolean isActive(Instant now) {
        return status == ConsentStatus.AUTHORISED && !isExpired(now) && !isDeleted();
    }
}
