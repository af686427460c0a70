package org.obkm.api.consent;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The consent resources of the UK Open Banking Read/Write API v3.1, with the scope a TPP's
 * client_credentials token needs for them (Account and Transaction, Payment Initiation and Confirmation
 * of Funds API profiles, "Scopes") and the statuses each may take.
 */
public enum ConsentType {
    /** {@code /aisp/account-access-consents} (OBReadConsent1). */
    ACCOUNT_ACCESS("account-access", "accounts", EnumSet.of(ConsentStatus.AWAITING_AUTHORISATION,
            ConsentStatus.AUTHORISED, ConsentStatus.REJECTED, ConsentStatus.REVOKED)),
    /** {@code /pisp/domestic-payment-consents} (OBWriteDomesticConsent4): consumed, never revoked (PSD2 Art. 80). */
    DOMESTIC_PAYMENT("domestic-payment", "payments", EnumSet.of(ConsentStatus.AWAITING_AUTHORISATION,
            ConsentStatus.AUTHORISED, ConsentStatus.REJECTED, ConsentStatus.CONSUMED)),
    /** {@code /cbpii/funds-confirmation-consents} (OBFundsConfirmationConsent1). */
    FUNDS_CONFIRMATION("funds-confirmation", "fundsconfirmations", EnumSet.of(ConsentStatus.AWAITING_AUTHORISATION,
            ConsentStatus.AUTHORISED, ConsentStatus.REJECTED, ConsentStatus.REVOKED));

    private final String code;
    private final String scope;
    private final Set<ConsentStatus> statuses;

    ConsentType(String code, String scope, Set<ConsentStatus> statuses) {
        this.code = code;
        this.scope = scope;
        this.statuses = statuses;
    }

    /** The name stored and shown: {@code account-access}, {@code domestic-payment}, {@code funds-confirmation}. */
    public String code() {
        return code;
    }

    /** The OAuth scope a token needs for this resource. */
    public String scope() {
        return scope;
    }

    /** Whether a consent of this type can ever be in {@code status}. */
    public boolean allows(ConsentStatus status) {
        return statuses.contains(status);
    }

    /** The type of a stored or typed code, if it is one. */
    public static Optional<ConsentType> ofCode(String code) {
        for (ConsentType t : values()) {
            if (t.code.equals(code)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
