package org.obkm.oauth.internal.clientauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.TestClients;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.policy.ClientProfiles;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * Issue 10 item 4: the client assertion audiences each profile accepts, through the real authenticator at
 * the PAR endpoint. The issuer here is not the token endpoint URL, so the three candidate values differ.
 * FAPI 2.0 SP §5.3.2.1: only the issuer identifier, as a JSON string; FAPI 1 Advanced and plain OAuth
 * (RFC 7523 §3, RFC 9126 §2): the issuer, the token endpoint or the endpoint called, string or array.
 */
class ClientAssertionAudienceTest {

    private static final String ISSUER = "https://as.bank.example";
    private static final String TOKEN = ISSUER + "/oauth2/token";
    private static final String PAR = ISSUER + "/oauth2/par";
    private static RSAKey key;

    private final ServerSettings settings = settings();
    private final ClientProfiles profiles = new ClientProfiles(config(), Map.of());

    @BeforeAll
    static void keys() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("rsa").generate();
    }

    private static TestSettings config() {
        TestSettings c = new TestSettings();
        c.issuer = ISSUER;
        return c;
    }

    private static ServerSettings settings() {
        return new ServerSettings(config());
    }

    private Client client(String profile) {
        Client c = new Client("tpp-1", "TPP", Set.of("authorization_code"), Set.of("accounts"),
                TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, new JWKSet(key.toPublicJWK()).toString(), null,
                List.of("https://tpp.example/cb"), null, Instant.now());
        return c.withPolicy(profiles.resolve(c, profile, null, null));
    }

    /** A PS256 assertion whose aud is exactly this JSON value (a string or an array). */
    private static String assertion(Object aud) throws Exception {
        long now = System.currentTimeMillis();
        Map<String, Object> claims = new java.util.LinkedHashMap<>();
        claims.put("iss", "tpp-1");
        claims.put("sub", "tpp-1");
        claims.put("aud", aud);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", now / 1000);
        claims.put("exp", new Date(now + 60_000).getTime() / 1000);
        com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(
                new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa").build(),
                new Payload(JSONObjectUtils.toJSONString(claims)));
        jws.sign(new RSASSASigner(key));
        return jws.serialize();
    }

    private void authenticateAtPar(String profile, Object aud) throws Exception {
        HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create(PAR));
        r.setContentType("application/x-www-form-urlencoded");
        r.setBody(URLUtils.serializeParameters(Map.of("client_id", List.of("tpp-1"), "client_assertion_type",
                List.of("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), "client_assertion",
                List.of(assertion(aud)))));
        new ClientAuthenticator(TestClients.of(client(profile)), settings, new InMemorySharedState(), profiles)
                .authenticate(r, PAR);
    }

    private void refused(String profile, Object aud, String descriptionPart) {
        OAuthException e = assertThrows(OAuthException.class, () -> authenticateAtPar(profile, aud));
        assertEquals("invalid_client", e.error().getCode());
        assertTrue(e.error().getDescription().contains(descriptionPart), e.error().getDescription());
    }

    @Test
    void fapi2ProfilesAcceptTheIssuerAsAString() throws Exception {
        authenticateAtPar(ClientProfiles.FAPI2_SECURITY_PROFILE, ISSUER);
        authenticateAtPar(ClientProfiles.FAPI2_MESSAGE_SIGNING, ISSUER);
    }

    @Test
    void fapi2ProfilesRefuseAnArrayAud() {
        refused(ClientProfiles.FAPI2_SECURITY_PROFILE, List.of(ISSUER), "as a JSON string");
        refused(ClientProfiles.FAPI2_MESSAGE_SIGNING, List.of(ISSUER), "as a JSON string");
    }

    @Test
    void fapi2ProfilesRefuseThePARUrlAsAud() {
        refused(ClientProfiles.FAPI2_SECURITY_PROFILE, PAR, "the issuer identifier " + ISSUER);
        refused(ClientProfiles.FAPI2_MESSAGE_SIGNING, PAR, "the issuer identifier " + ISSUER);
    }

    @Test
    void fapi2ProfilesRefuseTheTokenEndpointUrlAtPar() {
        refused(ClientProfiles.FAPI2_SECURITY_PROFILE, TOKEN, "the issuer identifier");
    }

    @Test
    void fapi1AdvancedAcceptsTheTokenEndpointUrlAtPar() throws Exception {
        authenticateAtPar("fapi1-advanced", TOKEN);
    }

    @Test
    void fapi1AdvancedAndNoneAcceptTheIssuerTheTokenEndpointOrThePARUrlAsStringOrArray() throws Exception {
        for (String profile : List.of("fapi1-advanced", ClientProfiles.NONE)) {
            authenticateAtPar(profile, ISSUER);
            authenticateAtPar(profile, PAR);
            authenticateAtPar(profile, TOKEN);
            authenticateAtPar(profile, List.of("https://other.example", TOKEN));
        }
    }

    @Test
    void everyProfileRefusesAnotherAudience() {
        for (String profile : List.of("fapi1-advanced", ClientProfiles.NONE, ClientProfiles.FAPI2_SECURITY_PROFILE)) {
            refused(profile, "https://other.example/token", "aud");
            refused(profile, List.of("https://other.example/token"), "aud");
            refused(profile, 42, "aud");
        }
    }

    @Test
    void theAudiencesAreConfigurablePerProfile() throws Exception {
        ClientProfiles configured = new ClientProfiles(config(), Map.of(
                "profile.fapi1-advanced.client-assertion-aud", "issuer",
                "profile.fapi1-advanced.client-assertion-aud-array", "false"));
        assertEquals(Set.of(org.obkm.oauth.internal.policy.AssertionAudiences.Kind.ISSUER),
                configured.named("fapi1-advanced").orElseThrow().settings().assertionAudiences().accepted());
        assertTrue(!configured.named("fapi1-advanced").orElseThrow().settings().assertionAudiences().arrays());
    }
}
