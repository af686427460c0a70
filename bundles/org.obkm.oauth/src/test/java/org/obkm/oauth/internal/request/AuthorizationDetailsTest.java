package org.obkm.oauth.internal.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.obkm.oauth.internal.ParFixture.CLIENT;
import static org.obkm.oauth.internal.ParFixture.NOW;
import static org.obkm.oauth.internal.ParFixture.claims;
import static org.obkm.oauth.internal.ParFixture.ps256;
import static org.obkm.oauth.internal.ParFixture.refused;
import static org.obkm.oauth.internal.ParFixture.request;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.consent.ConsentStatus;
import org.obkm.api.consent.ConsentType;
import org.obkm.oauth.internal.ParFixture;
import org.obkm.oauth.internal.consent.ConsentBinding;

import com.nimbusds.jwt.JWTClaimsSet;

/** RFC 9396 authorization_details referencing a UK consent, checked at PAR: one test per rule. */
class AuthorizationDetailsTest {

    private final OpenBankingIntentsTest.Consents consents = new OpenBankingIntentsTest.Consents();
    private final AuthorizationRequestValidator validator = ParFixture.validator(consents);

    @BeforeEach
    void consents() {
        consents.put("c-1", ConsentType.ACCOUNT_ACCESS, CLIENT.clientId(), ConsentStatus.AWAITING_AUTHORISATION, null);
    }

    private static Consumer<JWTClaimsSet.Builder> details(Object value) {
        return b -> b.claim(AuthorizationDetails.PARAMETER, value);
    }

    private static Map<String, Object> detail(String type, String consentId) {
        return consentId == null ? Map.of("type", type) : Map.of("type", type, AuthorizationDetails.CONSENT_ID, consentId);
    }

    private PushedRequest pushed(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        return validator.validate(CLIENT, request(ps256(claims(change))));
    }

    private void rejected(Consumer<JWTClaimsSet.Builder> change, String descriptionPart) {
        refused("invalid_authorization_details", descriptionPart, () -> pushed(change));
    }

    @Test
    void acceptsAnAccountInformationDetailReferencingTheClientsConsent() throws Exception {
        PushedRequest r = pushed(details(List.of(detail("account_information", "c-1"))));
        assertEquals(Optional.of("c-1"), ConsentBinding.intentOf(r));
        assertEquals(Optional.of("c-1"), AuthorizationDetails.consentId(r.authorizationDetails()));
    }

    @Test
    void acceptsTheDetailsAsAJsonStringClaim() throws Exception {
        PushedRequest r = pushed(details("[{\"type\":\"account_information\",\"consentId\":\"c-1\"}]"));
        assertEquals(Optional.of("c-1"), ConsentBinding.intentOf(r));
    }

    @Test
    void keepsTheDetailsThroughTheSharedState() throws Exception {
        PushedRequest r = pushed(details(List.of(detail("account_information", "c-1"))));
        assertEquals(r, PushedRequest.parse(r.toJsonObject()));
    }

    @Test
    void rejectsDetailsThatAreNoArray() {
        rejected(details(Map.of("type", "account_information")), "must be a JSON array");
    }

    @Test
    void rejectsDetailsThatAreNoJson() {
        rejected(details("[{"), "must be a JSON array");
    }

    @Test
    void rejectsAnEmptyArray() {
        rejected(details(List.of()), "must not be empty");
    }

    @Test
    void rejectsADetailWithoutType() {
        rejected(details(List.of(Map.of(AuthorizationDetails.CONSENT_ID, "c-1"))), "with a type");
    }

    @Test
    void rejectsAnUnknownType() {
        rejected(details(List.of(detail("tax_filing", "c-1"))), "type tax_filing is not supported");
    }

    @Test
    void rejectsADetailWithoutConsentReference() {
        rejected(details(List.of(detail("account_information", null))), "must name the consent in consentId");
    }

    @Test
    void rejectsAnUnknownConsent() {
        rejected(details(List.of(detail("account_information", "nope"))), "no consent nope");
    }

    @Test
    void rejectsAnotherClientsConsentAsUnknown() {
        consents.put("c-2", ConsentType.ACCOUNT_ACCESS, "other", ConsentStatus.AWAITING_AUTHORISATION, null);
        rejected(details(List.of(detail("account_information", "c-2"))), "no consent c-2");
    }

    @Test
    void rejectsAConsentInATerminalStatus() {
        consents.put("c-4", ConsentType.ACCOUNT_ACCESS, CLIENT.clientId(), ConsentStatus.REVOKED, null);
        rejected(details(List.of(detail("account_information", "c-4"))), "Revoked");
    }

    @Test
    void rejectsATypeNotMatchingTheConsentsType() {
        rejected(details(List.of(detail("funds_confirmation", "c-1"))), "cannot reference a account-access consent");
    }

    @Test
    void rejectsAConsentOfAnotherScope() {
        consents.put("c-3", ConsentType.DOMESTIC_PAYMENT, CLIENT.clientId(), ConsentStatus.AWAITING_AUTHORISATION, null);
        rejected(details(List.of(detail("payment_initiation", "c-3"))), "scope payments");
    }

    @Test
    void rejectsTwoConsents() {
        consents.put("c-7", ConsentType.ACCOUNT_ACCESS, CLIENT.clientId(), ConsentStatus.AWAITING_AUTHORISATION, null);
        rejected(details(List.of(detail("account_information", "c-1"), detail("account_information", "c-7"))),
                "one consent only");
    }

    @Test
    void acceptsBothFormsNamingTheSameConsent() throws Exception {
        PushedRequest r = pushed(OpenBankingIntentsTest.intent("c-1")
                .andThen(details(List.of(detail("account_information", "c-1")))));
        assertEquals(Optional.of("c-1"), ConsentBinding.intentOf(r));
    }

    @Test
    void rejectsBothFormsNamingDifferentConsents() {
        consents.put("c-7", ConsentType.ACCOUNT_ACCESS, CLIENT.clientId(), ConsentStatus.AWAITING_AUTHORISATION, null);
        rejected(OpenBankingIntentsTest.intent("c-7").andThen(details(List.of(detail("account_information", "c-1")))),
                "name different consents");
    }

    @Test
    void aNodeWithoutConsentsRefusesDetailsNamingOne() {
        refused("invalid_authorization_details", "holds no open-banking consents",
                () -> ParFixture.validator(Map.of()).validate(CLIENT,
                        request(ps256(claims(details(List.of(detail("account_information", "c-1"))))))));
    }

    @Test
    void acceptsTheDetailsAsAPlainParameterOfTheFapi2SecurityProfile() throws Exception {
        org.obkm.oauth.internal.TestSettings config = new org.obkm.oauth.internal.TestSettings();
        config.defaultProfile = "fapi2-security-profile";
        AuthorizationRequestValidator plain = new AuthorizationRequestValidator(
                new org.obkm.oauth.internal.ServerSettings(config),
                new org.obkm.oauth.internal.policy.ClientProfiles(config, Map.of()),
                java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC), consents);
        Map<String, String> params = new java.util.LinkedHashMap<>(ParFixture.plainParameters());
        params.put(AuthorizationDetails.PARAMETER, "[{\"type\":\"account_information\",\"consentId\":\"c-1\"}]");
        assertEquals(Optional.of("c-1"), ConsentBinding.intentOf(plain.validate(CLIENT, ParFixture.form(params))));
        params.put(AuthorizationDetails.PARAMETER, "{}");
        refused("invalid_authorization_details", "must be a JSON array",
                () -> plain.validate(CLIENT, ParFixture.form(params)));
    }
}
