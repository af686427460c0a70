package org.obkm.consent.internal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.ParseException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.util.JSONObjectUtils;

/** OBWriteDomesticConsent4 rules, one test each (PIS, domestic-payment-consents; data dictionary). */
class DomesticPaymentConsentsTest {

    static final String EXAMPLE = "{\"Data\":{\"Initiation\":{\"InstructionIdentification\":\"ACME412\","
            + "\"EndToEndIdentification\":\"FRESCO.21302.GFX.20\",\"InstructedAmount\":{\"Amount\":\"165.88\","
            + "\"Currency\":\"GBP\"},\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\","
            + "\"Identification\":\"08080021325698\",\"Name\":\"ACME Inc\",\"SecondaryIdentification\":\"0002\"},"
            + "\"RemittanceInformation\":{\"Reference\":\"FRESCO-101\",\"Unstructured\":\"Internal ops code 5120101\"}}},"
            + "\"Risk\":{\"PaymentContextCode\":\"EcommerceMerchantInitiatedPayment\","
            + "\"MerchantCustomerIdentification\":\"053598653254\"}}";

    static UkError refused(String from, String to) throws ParseException {
        String body = EXAMPLE.replace(from, to);
        assertTrue(!body.equals(EXAMPLE), "the test changes the example");
        ValidationException e = assertThrows(ValidationException.class,
                () -> DomesticPaymentConsents.validate(JSONObjectUtils.parse(body)));
        return e.errors().get(0);
    }

    @Test
    void acceptsTheSpecificationsExample() throws Exception {
        ValidConsent v = DomesticPaymentConsents.validate(JSONObjectUtils.parse(EXAMPLE));
        Map<String, Object> data = JSONObjectUtils.parse(v.data());
        assertTrue(data.containsKey("Initiation"));
        assertNull(v.expiresAt());
    }

    @Test
    void rejectsAmountWithTooManyDecimals() throws Exception {
        assertEquals("Data.Initiation.InstructedAmount.Amount", refused("\"165.88\"", "\"165.123456\"").path());
    }

    @Test
    void rejectsAmountWithTooManyDigits() throws Exception {
        refused("\"165.88\"", "\"12345678901234\"");
    }

    @Test
    void rejectsNegativeAmount() throws Exception {
        refused("\"165.88\"", "\"-1.00\"");
    }

    @Test
    void rejectsAmountAsNumber() throws Exception {
        refused("\"165.88\"", "165.88");
    }

    @Test
    void rejectsLowerCaseCurrency() throws Exception {
        assertEquals("Data.Initiation.InstructedAmount.Currency", refused("\"GBP\"", "\"gbp\"").path());
    }

    @Test
    void rejectsInstructionIdentificationOver35() throws Exception {
        refused("\"ACME412\"", "\"" + "A".repeat(36) + "\"");
    }

    @Test
    void rejectsEndToEndIdentificationOver35() throws Exception {
        refused("\"FRESCO.21302.GFX.20\"", "\"" + "E".repeat(36) + "\"");
    }

    @Test
    void rejectsMissingCreditorAccount() throws Exception {
        assertEquals(UkError.FIELD_MISSING, refused("\"CreditorAccount\"", "\"Creditor\"").errorCode());
    }

    @Test
    void rejectsCreditorAccountWithoutName() throws Exception {
        assertEquals("Data.Initiation.CreditorAccount.Name", refused("\"Name\":\"ACME Inc\",", "").path());
    }

    @Test
    void rejectsSortCodeAccountNumberThatIsNot14Digits() throws Exception {
        assertEquals(UkError.UNSUPPORTED_ACCOUNT_IDENTIFIER, refused("\"08080021325698\"", "\"0808002132569\"").errorCode());
    }

    @Test
    void rejectsUnknownScheme() throws Exception {
        assertEquals(UkError.UNSUPPORTED_SCHEME, refused("UK.OBIE.SortCodeAccountNumber", "UK.OBIE.Bitcoin").errorCode());
    }

    @Test
    void rejectsSecondaryIdentificationOver34() throws Exception {
        refused("\"0002\"", "\"" + "9".repeat(35) + "\"");
    }

    @Test
    void rejectsReferenceOver35() throws Exception {
        refused("\"FRESCO-101\"", "\"" + "R".repeat(36) + "\"");
    }

    @Test
    void rejectsUnstructuredOver140() throws Exception {
        refused("\"Internal ops code 5120101\"", "\"" + "U".repeat(141) + "\"");
    }

    @Test
    void rejectsUnknownPaymentContextCode() throws Exception {
        assertEquals("Risk.PaymentContextCode", refused("EcommerceMerchantInitiatedPayment", "Gambling").path());
    }

    @Test
    void rejectsMissingRisk() throws Exception {
        refused(",\"Risk\":{\"PaymentContextCode\":\"EcommerceMerchantInitiatedPayment\","
                + "\"MerchantCustomerIdentification\":\"053598653254\"}", "");
    }

    @Test
    void rejectsIbanDebtorAccountThatIsNoIban() throws Exception {
        assertEquals("Data.Initiation.DebtorAccount.Identification", refused("\"CreditorAccount\"",
                "\"DebtorAccount\":{\"SchemeName\":\"UK.OBIE.IBAN\",\"Identification\":\"not-an-iban\"},\"CreditorAccount\"")
                .path());
    }
}
