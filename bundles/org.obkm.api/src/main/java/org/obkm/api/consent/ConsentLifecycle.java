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
}
