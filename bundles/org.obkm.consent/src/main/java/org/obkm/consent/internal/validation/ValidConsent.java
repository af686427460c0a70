package org.obkm.consent.internal.validation;

import java.time.Instant;

/**
 * A request body that passed its resource's validation: its {@code Data} and {@code Risk} objects as
 * JSON text to store, and its ExpirationDateTime.
 */
public record ValidConsent(String data, String risk, Instant expiresAt) {
}
