package org.obkm.consent.internal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.util.JSONObjectUtils;

/** OBFundsConfirmationConsent1 rules, one test each. */
class FundsConfirmationConsentsTest {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    static UkError refused(String body) {
        return assertThrows(ValidationException.class,
                () -> FundsConfirmationConsents.validate(JSONObjectUtils.parse(body), NOW)).errors().get(0);
    }

    @Test
    void acceptsTheSpecificationsExample() throws Exception {
        ValidConsent v = FundsConfirmationConsents.validate(JSONObjectUtils.parse("{\"Data\":{\"DebtorAccount\":"
                + "{\"SchemeName\":\"UK.OBIE.IBAN\",\"Identification\":\"GB76LOYD30949301273801\"},"
                + "\"ExpirationDateTime\":\"2026-12-02T00:00:00+00:00\"}}"), NOW);
        assertNull(v.risk());
        assertEquals(Instant.parse("2026-12-02T00:00:00Z"), v.expiresAt());
    }

    @Test
    void rejectsMissingDebtorAccount() {
        assertEquals("Data.DebtorAccount", refused("{\"Data\":{}}").path());
    }

    @Test
    void rejectsDebtorAccountWithoutIdentification() {
        assertEquals("Data.DebtorAccount.Identification",
                refused("{\"Data\":{\"DebtorAccount\":{\"SchemeName\":\"UK.OBIE.IBAN\"}}}").path());
    }

    @Test
    void rejectsIdentificationOver256() {
        assertEquals(UkError.FIELD_INVALID, refused("{\"Data\":{\"DebtorAccount\":{\"SchemeName\":\"UK.OBIE.PAN\","
                + "\"Identification\":\"" + "1".repeat(257) + "\"}}}").errorCode());
    }

    @Test
    void rejectsExpirationInThePast() {
        assertEquals(UkError.FIELD_INVALID_DATE, refused("{\"Data\":{\"DebtorAccount\":{\"SchemeName\":"
                + "\"UK.OBIE.IBAN\",\"Identification\":\"GB76LOYD30949301273801\"},"
                + "\"ExpirationDateTime\":\"2020-01-01T00:00:00+00:00\"}}").errorCode());
    }
}
