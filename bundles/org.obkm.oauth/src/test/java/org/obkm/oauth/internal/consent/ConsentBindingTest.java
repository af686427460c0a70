package org.obkm.oauth.internal.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.api.consent.ConsentStatus;
import org.obkm.api.consent.ConsentType;
import org.obkm.api.token.RevocationStore;
import org.obkm.oauth.internal.InMemoryConsents;
import org.obkm.oauth.internal.InMemoryGrantStore;
import org.obkm.oauth.internal.TestClients;
import org.obkm.oauth.internal.TestKeys;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.sender.Confirmation;
import org.obkm.oauth.internal.token.AccessTokenIssuer;
import org.obkm.oauth.internal.token.AccessTokenVerifier;
import org.obkm.oauth.internal.token.TokenState;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.Scope;

/** A token bound to an open-banking consent is active exactly while the consent is. */
class ConsentBindingTest {

    private static final Client CLIENT = new Client("tpp-1", "TPP", Set.of("authorization_code"), Set.of("accounts"),
            TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, "{\"keys\":[]}", null, List.of(), null, Instant.now());
    private static final RevocationStore NO_REVOCATIONS = new RevocationStore() {
        @Override
        public void revoke(String tokenId, String clientId, Instant expiresAt) {
        }

        @Override
        public boolean isRevoked(String tokenId) {
            return false;
        }

        @Override
        public int purgeExpired(Instant now) {
            return 0;
        }
    };

    private final InMemoryConsents consents = new InMemoryConsents();
    private final AccessTokenIssuer issuer = new AccessTokenIssuer(TestKeys.signing(), TestSettings.defaults());
    private final AccessTokenVerifier verifier = new AccessTokenVerifier(TestKeys.keys(), TestSettings.defaults());

    private TokenState state(ConsentBinding binding) {
        return new TokenState(verifier, NO_REVOCATIONS, new InMemoryGrantStore(),
                new TestClients(Map.of(CLIENT.clientId(), CLIENT)), binding);
    }

    private String token(String consentId) {
        return issuer.issue(CLIENT, "psu-1", new Scope("openid", "accounts"), Confirmation.NONE, null, consentId)
                .value();
    }

    private void authorised(String id, Instant expires) throws Exception {
        consents.put(id, ConsentType.ACCOUNT_ACCESS, CLIENT.clientId(), InMemoryConsents.ACCOUNT_DATA, expires);
        consents.authorise(id, "psu-1", List.of("22289"), "psu:psu-1");
    }

    @Test
    void accessTokenCarriesTheConsentAsOpenbankingIntentId() throws Exception {
        assertEquals("c-1", SignedJWT.parse(token("c-1")).getJWTClaimsSet().getStringClaim(ConsentBinding.CLAIM));
    }

    @Test
    void tokenOfAnAuthorisedConsentIsActiveAndDiesWhenTheTppDeletesIt() throws Exception {
        authorised("c-1", null);
        TokenState tokens = state(new ConsentBinding(consents, Clock.systemUTC()));
        String token = token("c-1");
        assertTrue(tokens.active(token).isPresent());
        consents.delete("c-1", "client:tpp-1");
        assertFalse(tokens.active(token).isPresent(), "a deleted (Revoked) consent ends its tokens");
    }

    @Test
    void tokenOfARevokedConsentIsInactive() throws Exception {
        authorised("c-2", null);
        TokenState tokens = state(new ConsentBinding(consents, Clock.systemUTC()));
        String token = token("c-2");
        consents.transition("c-2", ConsentStatus.AUTHORISED, ConsentStatus.REVOKED, "psu:psu-1", "withdrawn");
        assertFalse(tokens.active(token).isPresent());
    }

    @Test
    void tokenOfAnExpiredConsentIsInactive() throws Exception {
        Instant expires = Instant.now().plusSeconds(3600);
        authorised("c-3", expires);
        String token = token("c-3");
        assertTrue(state(new ConsentBinding(consents, Clock.fixed(expires.minusSeconds(1), ZoneOffset.UTC)))
                .active(token).isPresent());
        assertFalse(state(new ConsentBinding(consents, Clock.fixed(expires, ZoneOffset.UTC))).active(token).isPresent(),
                "at its ExpirationDateTime the consent ends its tokens");
    }

    @Test
    void tokenOfAConsentAwaitingAuthorisationOrUnknownIsInactive() {
        consents.put("c-4", ConsentType.ACCOUNT_ACCESS, CLIENT.clientId(), InMemoryConsents.ACCOUNT_DATA, null);
        TokenState tokens = state(new ConsentBinding(consents, Clock.systemUTC()));
        assertFalse(tokens.active(token("c-4")).isPresent());
        assertFalse(tokens.active(token("no-such-consent")).isPresent());
    }

    @Test
    void boundTokenIsInactiveWhereNoConsentsAreServedButAnUnboundOneIsNot() {
        TokenState tokens = state(new ConsentBinding(null, Clock.systemUTC()));
        assertFalse(tokens.active(token("c-5")).isPresent(), "the binding fails closed");
        assertTrue(tokens.active(token(null)).isPresent());
    }

    @Test
    void introspectionNamesTheConsentItsTypeStatusPermissionsAndAccounts() throws Exception {
        authorised("c-6", Instant.parse("2099-08-02T00:00:00Z"));
        Map<String, Object> m = ConsentBinding.introspection(consents.find("c-6").orElseThrow());
        assertEquals("c-6", m.get("id"));
        assertEquals("account-access", m.get("type"));
        assertEquals("Authorised", m.get("status"));
        assertEquals(List.of("ReadAccountsDetail", "ReadBalances"), m.get("permissions"));
        assertEquals(List.of("22289"), m.get("accounts"));
        assertEquals("2099-08-02T00:00:00Z", m.get("expiration_date_time"));
    }

    /** RFC 9396 §7/§9.2: what the token response and introspection say of the details a token carries. */
    @Test
    void authorizationDetailsAreEnrichedWithTheConsentsStatusAndSelectedAccounts() throws Exception {
        authorised("c-9", null);
        List<Object> granted = ConsentBinding.enrich("[{\"type\":\"account_information\",\"consentId\":\"c-9\"},"
                + "{\"type\":\"other\"}]", consents.find("c-9").orElseThrow());
        assertEquals(Map.of("type", "account_information", "consentId", "c-9", "status", "Authorised",
                "accounts", List.of("22289")), granted.get(0));
        assertEquals(Map.of("type", "other"), granted.get(1), "a detail of no consent is returned as requested");
        assertEquals(List.of(Map.of("type", "other")), ConsentBinding.enrich(List.of(Map.of("type", "other")), null));
    }
}
