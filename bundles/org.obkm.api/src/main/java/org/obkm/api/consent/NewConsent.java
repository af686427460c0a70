package org.obkm.api.consent;

import java.time.Instant;

/**
 * A consent a TPP asks for, already validated against its resource's data dictionary.
 *
 * @param type the resource
 * @param clientId the TPP's client, from its access token
 * @param data the request's {@code Data} object, JSON text
 * @param risk the request's {@code Risk} object, JSON text, or {@code null}
 * @param expiresAt ExpirationDateTime, or {@code null}
 * @param idempotencyKey the {@code x-idempotency-key}, or {@code null} for a resource without idempotency
 * @param requestHash a digest of the request body, compared when the same key comes again
 */
public record NewConsent(ConsentType type, String clientId, String data, String risk, Instant expiresAt,
        String idempotencyKey, String requestHash) {
}
