package org.obkm.api.consent;

/**
 * The answer to {@link ConsentService#create}: the consent, and whether it is a replay of an earlier
 * request under the same idempotency key (the existing resource, unchanged).
 */
public record Created(Consent consent, boolean replayed) {
}
