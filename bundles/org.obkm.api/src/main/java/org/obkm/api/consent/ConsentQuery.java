package org.obkm.api.consent;

/**
 * A filter of {@link ConsentService#list}: each part {@code null} for any.
 *
 * @param clientId only this client's consents
 * @param status only consents in this status
 * @param limit at most this many, newest first
 */
public record ConsentQuery(String clientId, ConsentStatus status, int limit) {

    public ConsentQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}
