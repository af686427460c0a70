package org.obkm.consent.internal.validation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * OBWriteDomesticConsent4, the body of {@code POST /pisp/domestic-payment-consents} (Payment Initiation
 * API v3.1, domestic-payment-consents): {@code Data.Initiation} with InstructionIdentification and
 * EndToEndIdentification (Max35), InstructedAmount (the Amount and Currency patterns), CreditorAccount
 * (with Name) and optionally DebtorAccount, RemittanceInformation (Reference Max35, Unstructured Max140);
 * {@code Data.ReadRefundAccount} Yes or No; {@code Risk} present, its PaymentContextCode one of
 * OBExternalPaymentContext1Code.
 */
public final class DomesticPaymentConsents {

    static final List<String> PAYMENT_CONTEXT_CODES = List.of("BillPayment", "InvoicePayment", "PispPayee",
            "EcommerceMerchantInitiatedPayment", "FaceToFacePointOfSale", "TransferToSelf", "TransferToThirdParty",
            "EcommerceGoods", "EcommerceServices", "Other", "PartyToParty");

    private DomesticPaymentConsents() {
    }

    public static ValidConsent validate(Map<String, Object> body) throws ValidationException {
        Fields f = new Fields();
        Map<String, Object> data = f.object(body, "Data", "Data", true);
        Map<String, Object> risk = f.object(body, "Risk", "Risk", true);
        if (data != null) {
            f.oneOf(data, "ReadRefundAccount", "Data.ReadRefundAccount", List.of("Yes", "No"), false);
            Map<String, Object> initiation = f.object(data, "Initiation", "Data.Initiation", true);
            if (initiation != null) {
                String p = "Data.Initiation";
                f.text(initiation, "InstructionIdentification", p + ".InstructionIdentification", 35, true);
                f.text(initiation, "EndToEndIdentification", p + ".EndToEndIdentification", 35, true);
                f.text(initiation, "LocalInstrument", p + ".LocalInstrument", 50, false);
                Amounts.check(f, f.object(initiation, "InstructedAmount", p + ".InstructedAmount", true),
                        p + ".InstructedAmount");
                Accounts.check(f, f.object(initiation, "DebtorAccount", p + ".DebtorAccount", false),
                        p + ".DebtorAccount", false);
                Accounts.check(f, f.object(initiation, "CreditorAccount", p + ".CreditorAccount", true),
                        p + ".CreditorAccount", true);
                Map<String, Object> remittance = f.object(initiation, "RemittanceInformation",
                        p + ".RemittanceInformation", false);
                f.text(remittance, "Unstructured", p + ".RemittanceInformation.Unstructured", 140, false);
                f.text(remittance, "Reference", p + ".RemittanceInformation.Reference", 35, false);
            }
        }
        if (risk != null) {
            f.oneOf(risk, "PaymentContextCode", "Risk.PaymentContextCode", PAYMENT_CONTEXT_CODES, false);
            f.text(risk, "MerchantCustomerIdentification", "Risk.MerchantCustomerIdentification", 70, false);
        }
        f.throwIfAny();
        return new ValidConsent(JSONObjectUtils.toJSONString(data), JSONObjectUtils.toJSONString(risk), null);
    }
}
