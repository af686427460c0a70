package org.obkm.api.consent;

/**
 * The same TPP sent the same {@code x-idempotency-key} within 24 hours with a different body: the
 * resource is not changed (Read/Write Data API profile, "Idempotency").
 */
public final class IdempotencyConflictException extends Exception {

    private static final long serialVersionUID = 1L;

    public IdempotencyConflictException(String message) {
        super(message);
    }
}
