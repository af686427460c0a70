package org.obkm.api.consent;

import java.time.Instant;

/**
 * The lifecycle rules of a consent, as the UK Read/Write API v3.1 state models give them: a new consent
 * is AwaitingAuthorisation; the PSU's decision at the bank makes it Authorised or Rejected; an
 * Authorised account-access or funds-confirmation consent may be Revoked, an Authorised payment consent
 * becomes Consumed when its payment order is made. Terminal statuses never move. A consent whose
 * ExpirationDateTime has passed keeps its status (tokens expire, the status does not: "Effect of Token
 * Expiry") but can no longer be authorised.
 */
public final class ConsentLifecycle {

    private ConsentLifecycle() {
    }

    /** Whether a consent of {@code type} may move from {@code from} to {@code to}. */
    public static boolean allows(ConsentType type, ConsentStatus from, ConsentStatus to) {
        if (!type.allows(to) || from.isTerminal()) {
            return false;
        }
        return switch (from) {
            case AWAITING_AUTHORISATION -> to == ConsentStatus.AUTHORISED || to == ConsentStatus.REJECTED;
            case AUTHORISED -> to == ConsentStatus.REVOKED || to == ConsentStatus.CONSUMED;
            default -> false;
        };
    }

    /**
     * Why {@code consent} may not move to {@code to} at {@code now}, or {@code null} when it may: the
     * transition must be one of {@link #allows}, and an expired consent may not become Authorised.
     */
    public static String refusal(Consent consent, ConsentStatus to, Instant now) {
        if (!allows(consent.type(), consent.status(), to)) {
            return "a " + consent.type().code() + " consent cannot move from " + consent.status().wire() + " to "
                    + to.wire();
        }
        if (to == ConsentStatus.AUTHORISED && consent.isExpired(now)) {
            return "the consent expired at " + consent.expiresAt();
        }
        return null;
    }

    /**
     * Why an authorization request of {@code clientId} for {@code scopes} may not start on {@code consent}
     * at {@code now}, or {@code null} when it may: the consent is the client's, not deleted nor expired,
     * AwaitingAuthorisation (or Authorised, for re-authentication of a long-lived consent: the AIS
     * profile's "Consent Re-authentication"; payment consents cannot be re-authenticated), and the
     * request asks for the consent type's scope. No authorization may start on a terminal consent
     * (Read/Write Data API profile, "Changes to an Intent's Authorized State"). The check at PAR.
     */
    public static String authorisationRefusal(Consent consent, String clientId, java.util.Set<String> scopes,
            Instant now) {
        if (!consent.clientId().equals(clientId)) {
            return "the consent belongs to another client";
        }
        if (consent.isDeleted()) {
            return "the consent was deleted by its TPP";
        }
        if (consent.isExpired(now)) {
            return "the consent expired at " + consent.expiresAt();
        }
        boolean reauthentication = consent.status() == ConsentStatus.AUTHORISED
                && consent.type() != ConsentType.DOMESTIC_PAYMENT;
        if (consent.status() != ConsentStatus.AWAITING_AUTHORISATION && !reauthentication) {
            return "the consent is " + consent.status().wire();
        }
        if (!scopes.contains(consent.type().scope())) {
            return "a " + consent.type().code() + " consent is authorised with the scope " + consent.type().scope();
        }
        return null;
    }
}
