package org.obkm.consent.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentLifecycle;
import org.obkm.api.consent.ConsentStatus;
import org.obkm.api.consent.ConsentType;

/** The state model of each consent type, transition by transition. */
class ConsentLifecycleTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private static boolean allows(ConsentType t, ConsentStatus from, ConsentStatus to) {
        return ConsentLifecycle.allows(t, from, to);
    }

    @Test
    void awaitingAuthorisationMovesToAuthorisedOrRejected() {
        for (ConsentType t : ConsentType.values()) {
            assertTrue(allows(t, ConsentStatus.AWAITING_AUTHORISATION, ConsentStatus.AUTHORISED), t.code());
            assertTrue(allows(t, ConsentStatus.AWAITING_AUTHORISATION, ConsentStatus.REJECTED), t.code());
        }
    }

    @Test
    void awaitingAuthorisationCannotBeRevokedOrConsumed() {
        for (ConsentType t : ConsentType.values()) {
            assertFalse(allows(t, ConsentStatus.AWAITING_AUTHORISATION, ConsentStatus.REVOKED), t.code());
            assertFalse(allows(t, ConsentStatus.AWAITING_AUTHORISATION, ConsentStatus.CONSUMED), t.code());
        }
    }

    @Test
    void authorisedAccountAccessAndFundsConfirmationMayBeRevoked() {
        assertTrue(allows(ConsentType.ACCOUNT_ACCESS, ConsentStatus.AUTHORISED, ConsentStatus.REVOKED));
        assertTrue(allows(ConsentType.FUNDS_CONFIRMATION, ConsentStatus.AUTHORISED, ConsentStatus.REVOKED));
    }

    @Test
    void authorisedPaymentIsConsumedNeverRevoked() {
        assertTrue(allows(ConsentType.DOMESTIC_PAYMENT, ConsentStatus.AUTHORISED, ConsentStatus.CONSUMED));
        assertFalse(allows(ConsentType.DOMESTIC_PAYMENT, ConsentStatus.AUTHORISED, ConsentStatus.REVOKED));
    }

    @Test
    void onlyPaymentsAreConsumed() {
        assertFalse(allows(ConsentType.ACCOUNT_ACCESS, ConsentStatus.AUTHORISED, ConsentStatus.CONSUMED));
        assertFalse(allows(ConsentType.FUNDS_CONFIRMATION, ConsentStatus.AUTHORISED, ConsentStatus.CONSUMED));
    }

    @Test
    void authorisedCannotGoBackOrBeRejected() {
        for (ConsentType t : ConsentType.values()) {
            assertFalse(allows(t, ConsentStatus.AUTHORISED, ConsentStatus.AWAITING_AUTHORISATION), t.code());
            assertFalse(allows(t, ConsentStatus.AUTHORISED, ConsentStatus.REJECTED), t.code());
        }
    }

    @Test
    void terminalStatusesNeverMove() {
        for (ConsentType t : ConsentType.values()) {
            for (ConsentStatus from : List.of(ConsentStatus.REJECTED, ConsentStatus.REVOKED, ConsentStatus.CONSUMED)) {
                assertTrue(from.isTerminal());
                for (ConsentStatus to : ConsentStatus.values()) {
                    assertFalse(allows(t, from, to), t.code() + " " + from + " -> " + to);
                }
            }
        }
    }

    @Test
    void expiredConsentCannotBeAuthorisedButMayStillBeRejected() {
        Consent expired = consent(ConsentType.ACCOUNT_ACCESS, ConsentStatus.AWAITING_AUTHORISATION, NOW.minusSeconds(1));
        assertNotNull(ConsentLifecycle.refusal(expired, ConsentStatus.AUTHORISED, NOW));
        assertNull(ConsentLifecycle.refusal(expired, ConsentStatus.REJECTED, NOW));
        assertTrue(expired.isExpired(NOW));
        assertFalse(expired.isActive(NOW));
    }

    @Test
    void consentWithoutExpirationIsOpenEnded() {
        Consent open = consent(ConsentType.ACCOUNT_ACCESS, ConsentStatus.AUTHORISED, null);
        assertFalse(open.isExpired(NOW.plusSeconds(10L * 365 * 86400)));
        assertTrue(open.isActive(NOW));
    }

    @Test
    void authorisationMayStartOnTheClientsAwaitingConsentWithItsScope() {
        Consent c = consent(ConsentType.ACCOUNT_ACCESS, ConsentStatus.AWAITING_AUTHORISATION, null);
        assertNull(ConsentLifecycle.authorisationRefusal(c, "tpp", Set.of("openid", "accounts"), NOW));
    }

    @Test
    void authorisationRefusesAnotherClientsConsent() {
        Consent c = consent(ConsentType.ACCOUNT_ACCESS, ConsentStatus.AWAITING_AUTHORISATION, null);
        assertNotNull(ConsentLifecycle.authorisationRefusal(c, "other", Set.of("accounts"), NOW));
    }

    @Test
    void authorisationRefusesAScopeMismatch() {
        Consent c = consent(ConsentType.ACCOUNT_ACCESS, ConsentStatus.AWAITING_AUTHORISATION, null);
        assertNotNull(ConsentLifecycle.authorisationRefusal(c, "tpp", Set.of("openid", "payments"), NOW));
    }

    @Test
    void authorisationRefusesTerminalExpiredAndDeletedConsents() {
        for (ConsentStatus s : List.of(ConsentStatus.REJECTED, ConsentStatus.REVOKED, ConsentStatus.CONSUMED)) {
            assertNotNull(ConsentLifecycle.authorisationRefusal(consent(ConsentType.ACCOUNT_ACCESS, s, null), "tpp",
                    Set.of("accounts"), NOW), s.wire());
        }
        assertNotNull(ConsentLifecycle.authorisationRefusal(consent(ConsentType.ACCOUNT_ACCESS,
                ConsentStatus.AWAITING_AUTHORISATION, NOW), "tpp", Set.of("accounts"), NOW));
        Consent deleted = new Consent("c1", ConsentType.ACCOUNT_ACCESS, "tpp", ConsentStatus.AWAITING_AUTHORISATION,
                NOW, NOW, null, "{}", "{}", null, List.of(), NOW);
        assertNotNull(ConsentLifecycle.authorisationRefusal(deleted, "tpp", Set.of("accounts"), NOW));
    }

    @Test
    void authorisedAccountConsentMayBeReauthenticatedButAPaymentConsentNot() {
        assertNull(ConsentLifecycle.authorisationRefusal(consent(ConsentType.ACCOUNT_ACCESS, ConsentStatus.AUTHORISED,
                null), "tpp", Set.of("accounts"), NOW));
        assertNotNull(ConsentLifecycle.authorisationRefusal(consent(ConsentType.DOMESTIC_PAYMENT,
                ConsentStatus.AUTHORISED, null), "tpp", Set.of("payments"), NOW));
    }

    static Consent consent(ConsentType type, ConsentStatus status, Instant expires) {
        return new Consent("c1", type, "tpp", status, NOW, NOW, expires, "{}", "{}", null, List.of(), null);
    }
}
