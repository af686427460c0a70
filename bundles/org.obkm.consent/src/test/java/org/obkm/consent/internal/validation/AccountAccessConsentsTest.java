package org.obkm.consent.internal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.ParseException;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.util.JSONObjectUtils;

/** OBReadConsent1 rules, one test each (AIS profile, "Permissions"; data dictionary). */
class AccountAccessConsentsTest {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    static Map<String, Object> json(String s) throws ParseException {
        return JSONObjectUtils.parse(s);
    }

    static UkError refused(String body) throws ParseException {
        ValidationException e = assertThrows(ValidationException.class,
                () -> AccountAccessConsents.validate(json(body), NOW));
        return e.errors().get(0);
    }

    @Test
    void acceptsTheSpecificationsExample() throws Exception {
        ValidConsent v = AccountAccessConsents.validate(json("{\"Data\":{\"Permissions\":[\"ReadAccountsDetail\","
                + "\"ReadBalances\",\"ReadTransactionsDetail\",\"ReadTransactionsCredits\",\"ReadTransactionsDebits\"],"
                + "\"ExpirationDateTime\":\"2026-08-02T00:00:00+00:00\",\"TransactionFromDateTime\":\"2026-01-01T00:00:00+00:00\","
                + "\"TransactionToDateTime\":\"2026-12-31T00:00:00+00:00\"},\"Risk\":{}}"), NOW);
        assertEquals(Instant.parse("2026-08-02T00:00:00Z"), v.expiresAt());
        assertTrue(v.data().contains("ReadBalances"));
        assertEquals("{}", v.risk());
    }

    @Test
    void rejectsEmptyPermissions() throws Exception {
        assertEquals(UkError.FIELD_INVALID, refused("{\"Data\":{\"Permissions\":[]},\"Risk\":{}}").errorCode());
    }

    @Test
    void rejectsMissingPermissions() throws Exception {
        assertEquals(UkError.FIELD_MISSING, refused("{\"Data\":{},\"Risk\":{}}").errorCode());
    }

    @Test
    void rejectsUnknownPermissionCode() throws Exception {
        UkError e = refused("{\"Data\":{\"Permissions\":[\"ReadAccountsBasic\",\"ReadEverything\"]},\"Risk\":{}}");
        assertTrue(e.message().contains("ReadEverything"), e.message());
    }

    @Test
    void rejectsPermissionsWithoutReadAccountsBasicOrDetail() throws Exception {
        assertEquals("Data.Permissions", refused("{\"Data\":{\"Permissions\":[\"ReadBalances\"]},\"Risk\":{}}").path());
    }

    @Test
    void rejectsTransactionsBasicWithoutCreditsOrDebits() throws Exception {
        refused("{\"Data\":{\"Permissions\":[\"ReadAccountsBasic\",\"ReadTransactionsBasic\"]},\"Risk\":{}}");
    }

    @Test
    void rejectsTransactionsCreditsWithoutBasicOrDetail() throws Exception {
        refused("{\"Data\":{\"Permissions\":[\"ReadAccountsBasic\",\"ReadTransactionsCredits\"]},\"Risk\":{}}");
    }

    @Test
    void acceptsBasicAndDetailOfOneClusterTogether() throws Exception {
        AccountAccessConsents.validate(json("{\"Data\":{\"Permissions\":[\"ReadAccountsBasic\",\"ReadAccountsDetail\"]},"
                + "\"Risk\":{}}"), NOW);
    }

    @Test
    void rejectsExpirationInThePast() throws Exception {
        assertEquals(UkError.FIELD_INVALID_DATE, refused("{\"Data\":{\"Permissions\":[\"ReadAccountsBasic\"],"
                + "\"ExpirationDateTime\":\"2026-05-31T23:59:59+00:00\"},\"Risk\":{}}").errorCode());
    }

    @Test
    void rejectsDateTimeWithoutOffset() throws Exception {
        assertEquals(UkError.FIELD_INVALID_DATE, refused("{\"Data\":{\"Permissions\":[\"ReadAccountsBasic\"],"
                + "\"ExpirationDateTime\":\"2026-08-02T00:00:00\"},\"Risk\":{}}").errorCode());
    }

    @Test
    void rejectsTransactionWindowReversed() throws Exception {
        assertEquals("Data.TransactionFromDateTime", refused("{\"Data\":{\"Permissions\":[\"ReadAccountsBasic\"],"
                + "\"TransactionFromDateTime\":\"2026-02-01T00:00:00+00:00\","
                + "\"TransactionToDateTime\":\"2026-01-01T00:00:00+00:00\"},\"Risk\":{}}").path());
    }

    @Test
    void rejectsMissingRisk() throws Exception {
        assertEquals("Risk", refused("{\"Data\":{\"Permissions\":[\"ReadAccountsBasic\"]}}").path());
    }

    @Test
    void rejectsMissingData() throws Exception {
        assertEquals("Data", refused("{\"Risk\":{}}").path());
    }
}
