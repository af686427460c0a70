package org.obkm.consent.internal.validation;

import java.time.Instant;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * OBFundsConfirmationConsent1, the body of {@code POST /cbpii/funds-confirmation-consents} (Confirmation
 * of Funds API v3.1): {@code Data.DebtorAccount} required, {@code Data.ExpirationDateTime} optional and
 * in the future; no Risk.
 */
public final class FundsConfirmationConsents {

    private FundsConfirmationConsents() {
    }

    public static ValidConsent validate(Map<String, Object> body, Instant now) throws ValidationException {
        Fields f = new Fields();
        Map<String, Object> data = f.object(body, "Data", "Data", true);
        Instant expires = null;
        if (data != null) {
            Accounts.check(f, f.object(data, "DebtorAccount", "Data.DebtorAccount", true), "Data.DebtorAccount", false);
            expires = f.expiration(data, "Data.ExpirationDateTime", now);
        }
        f.throwIfAny();
        return new ValidConsent(JSONObjectUtils.toJSONString(data), null, expires);
    }
}
