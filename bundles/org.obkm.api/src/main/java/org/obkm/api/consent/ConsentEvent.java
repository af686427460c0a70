package org.obkm.api.consent;

import java.time.Instant;

/**
 * One entry of a consent's audit trail: its creation ({@code from} null), each status change and its
 * deletion by the TPP. Kept with the consent, never rewritten.
 *
 * @param consentId the consent
 * @param at when
 * @param actor who: {@code client:<id>}, {@code psu:<subject>}, {@code operator:<name>}, {@code system}
 * @param from the status before, {@code null} at creation
 * @param to the status after (the same as {@code from} when a terminal consent is only deleted)
 * @param reason why, in a few words
 */
public record ConsentEvent(String consentId, Instant at, String actor, ConsentStatus from, ConsentStatus to,
        String reason) {
}
