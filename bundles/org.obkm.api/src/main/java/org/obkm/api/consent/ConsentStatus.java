package org.obkm.api.consent;

import java.util.Optional;

/**
 * A consent's status as the UK Read/Write API v3.1 names it on the wire (OBExternalRequestStatus1Code,
 * OBExternalConsentStatus1Code). {@link #REJECTED}, {@link #REVOKED} and {@link #CONSUMED} are terminal:
 * a consent in one of them never moves again and no authorization may start on it (Read/Write Data API
 * profile, "Changes to an Intent's Authorized State").
 */
public enum ConsentStatus {
    AWAITING_AUTHORISATION("AwaitingAuthorisation"),
    AUTHORISED("Authorised"),
    REJECTED("Rejected"),
    REVOKED("Revoked"),
    CONSUMED("Consumed");

    private final String wire;

    ConsentStatus(String wire) {
        this.wire = wire;
    }

    /** The name in request and response bodies and in the database, such as {@code AwaitingAuthorisation}. */
    public String wire() {
        return wire;
    }

    public boolean isTerminal() {
        return this == REJECTED || this == REVOKED || this == CONSUMED;
    }

    /** The status of a wire name, case-sensitive as the specification spells it. */
    public static Optional<ConsentStatus> ofWire(String name) {
        for (ConsentStatus s : values()) {
            if (s.wire.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
