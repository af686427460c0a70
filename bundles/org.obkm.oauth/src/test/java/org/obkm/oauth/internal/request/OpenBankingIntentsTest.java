package org.obkm.oauth.internal.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.obkm.oauth.internal.ParFixture.CLIENT;
import static org.obkm.oauth.internal.ParFixture.NOW;
import static org.obkm.oauth.internal.ParFixture.claims;
import static org.obkm.oauth.internal.ParFixture.ps256;
import static org.obkm.oauth.internal.ParFixture.refused;
import static org.obkm.oauth.internal.ParFixture.request;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentEvent;
import org.obkm.api.consent.ConsentQuery;
import org.obkm.api.consent.ConsentService;
import org.obkm.api.consent.ConsentStatus;
import org.obkm.api.consent.ConsentType;
import org.obkm.api.consent.Created;
import org.obkm.api.consent.NewConsent;
import org.obkm.oauth.internal.ParFixture;

import com.nimbusds.jwt.JWTClaimsSet;

/** The consent an authorization request names (UK {@code openbanking_intent_id}), checked at PAR. */
class OpenBankingIntentsTest {

    /** Consents by id; only find is asked at PAR. */
    static final class Consents implements ConsentService {
        final Map<String, Consent> byId = new HashMap<>();

        void put(String id, ConsentType type, String client, ConsentStatus status, Instant expires) {
            byId.put(id, new Consent(id, type, client, status, NOW, NOW, expires, "{}", "{}", null, List.of(), null));
        }

        @Override
        public Optional<Consent> find(String id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public Created create(NewConsent c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Consent> list(ConsentQuery q) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ConsentEvent> history(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Consent transition(String id, ConsentStatus e, ConsentStatus t, String a, String r) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Consent authorise(String id, String s, List<String> a, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Consent delete(String id, String actor) {
            throw new NoSuchElementException();
        }
    }

    private final Consents consents = new Consents();
    private final AuthorizationRequestValidator validator = ParFixture.validator(consents);

    static Consumer<JWTClaimsSet.Builder> intent(String id) {
        return b -> b.claim("claims", Map.of(
                "id_token", Map.of(OpenBankingIntents.CLAIM, Map.of("value", id, "essential", true),
                        "acr", Map.of("essential", true, "values", List.of("urn:openbanking:psd2:sca"))),
                "userinfo", Map.of(OpenBankingIntents.CLAIM, Map.of("value", id, "essential", true))));
    }

    private PushedRequest pushed(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        return validator.validate(CLIENT, request(ps256(claims(change))));
    }

    private void rejected(Consumer<JWTClaimsSet.Builder> change, String descriptionPart) {
        refused("invalid_request", descriptionPart, () -> pushed(change));
    }

    @Test
    void acceptsTheClientsAwaitingConsentOfTheRequestedScope() throws Exception {
        consents.put("c-1", ConsentType.ACCOUNT_ACCESS, CLIENT.clientId(), ConsentStatus.AWAITING_AUTHORISATION, null);
        PushedRequest r = pushed(intent("c-1"));
        assertEquals(Optional.of("c-1"), OpenBankingIntents.intentId(r.claims()));
    }

    /** Found by OAuthParsersFuzzTest: the JSON null parsed as a null map, a NullPointerException. */
    @Test
    void rejectsClaimsThatAreTheJsonNull() {
        refused("invalid_request", "claims must be a JSON object", () -> OpenBankingIntents.intentId("null"));
    }

    @Test
    void rejectsAnUnknownConsent() {
        rejected(intent("nope"), "no consent nope");
    }

    @Test
    void rejectsAnotherClientsConsentAsUnknown() {
        consents.put("c-2", ConsentType.ACCOUNT_ACCESS, "other", ConsentStatus.AWAITING_AUTHORISATION, null);
        rejected(intent("c-2"), "no consent c-2");
    }

    @Test
    void rejectsAConsentOfAnotherScope() {
        consents.put("c-3", ConsentType.DOMESTIC_PAYMENT, CLIENT.clientId(), ConsentStatus.AWAITING_AUTHORISATION, null);
        rejected(intent("c-3"), "scope payments");
    }

    @Test
    void rejectsAConsentInATerminalStatus() {
        consents.put("c-4", ConsentType.ACCOUNT_ACCESS, CLIENT.clientId(), ConsentStatus.REJECTED, null);
        rejected(intent("c-4"), "Rejected");
    }

    @Test
    void rejectsAnExpiredConsent() {
        consents.put("c-5", ConsentType.ACCOUNT_ACCESS, CLIENT.clientId(), ConsentStatus.AWAITING_AUTHORISATION, NOW);
        rejected(intent("c-5"), "expired");
    }

    @Test
    void rejectsTwoDifferentConsents() {
        rejected(b -> b.claim("claims", Map.of(
                "id_token", Map.of(OpenBankingIntents.CLAIM, Map.of("value", "a")),
                "userinfo", Map.of(OpenBankingIntents.CLAIM, Map.of("value", "b")))), "two different consents");
    }

    @Test
    void rejectsAnIntentClaimWithoutValue() {
        rejected(b -> b.claim("claims", Map.of("id_token", Map.of(OpenBankingIntents.CLAIM, Map.of("essential", true)))),
                "must carry the ConsentId");
    }

    @Test
    void aRequestNamingNoConsentIsNotAskedAbout() throws Exception {
        pushed(b -> { });
    }

    @Test
    void aNodeWithoutConsentsRefusesARequestNamingOne() {
        refused("invalid_request", "holds no open-banking consents",
                () -> ParFixture.validator(Map.of()).validate(CLIENT, request(ps256(claims(intent("c-1"))))));
    }
}
