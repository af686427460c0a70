package org.obkm.oauth.internal.clientauth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.api.client.Client;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.api.cluster.ClusterUnavailableException;
import org.obkm.api.cluster.SharedState;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.policy.AssertionAudiences;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

public class ClientAssertionVerifierTest {

    private static final String CLIENT_ID = "tpp-1";
    private static final String TOKEN_ENDPOINT = "https://as.bank.example/oauth2/token";
    private static RSAKey rsa;
    private static RSAKey otherRsa;
    private static ECKey ec;
    private static Client client;

    private final InMemorySharedState state = new InMemorySharedState();
    private final ClientAssertionVerifier verifier = new ClientAssertionVerifier(TestSettings.defaults(), state);

    @BeforeAll
    public static void keys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
        otherRsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
        client = new Client(CLIENT_ID, "TPP", Set.of("client_credentials"), Set.of("accounts"),
                TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null,
                new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString(), null, List.of(), null,
                Instant.now());
    }

    private static JWTClaimsSet.Builder claims() {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(CLIENT_ID).subject(CLIENT_ID).audience(TestSettings.ISSUER)
                .jwtID(UUID.randomUUID().toString()).issueTime(new Date(now)).expirationTime(new Date(now + 60_000));
    }

    private static SignedJWT ps256(JWTClaimsSet c) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa").build(), c);
        jwt.sign(new RSASSASigner(rsa));
        return jwt;
    }

    private static SignedJWT with(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder b = claims();
        change.accept(b);
        return ps256(b.build());
    }

    private void rejected(SignedJWT jwt, String messagePart) {
        OAuthException e = assertThrows(OAuthException.class, () -> verifier.verify(client, jwt, TOKEN_ENDPOINT, AssertionAudiences.RFC7523));
        assertEquals("invalid_client", e.error().getCode(), e.getMessage());
        assertEquals(401, e.error().getHTTPStatusCode());
        assertTrue(e.error().getDescription().contains(messagePart), e.error().getDescription());
    }

    @Test
    public void acceptsPs256AssertionForTheIssuer() throws Exception {
        SignedJWT jwt = ps256(claims().build());
        assertDoesNotThrow(() -> verifier.verify(client, jwt, TOKEN_ENDPOINT, AssertionAudiences.RFC7523));
    }

    @Test
    public void acceptsEs256AssertionForTheTokenEndpoint() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec").build(),
                claims().audience("https://as.bank.example/oauth2/token").build());
        jwt.sign(new ECDSASigner(ec));
        assertDoesNotThrow(() -> verifier.verify(client, jwt, TOKEN_ENDPOINT, AssertionAudiences.RFC7523));
    }

    @Test
    public void rejectsRs256() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa").build(), claims().build());
        jwt.sign(new RSASSASigner(rsa));
        rejected(jwt, "RS256");
    }

    @Test
    public void rejectsAnotherAlgorithmThanTheRegisteredTokenEndpointAuthSigningAlg() throws Exception {
        Client registered = new Client(CLIENT_ID, "TPP", Set.of("client_credentials"), Set.of("accounts"),
                TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, client.jwks(), null, List.of(), null, Instant.now(),
                null, null, null, new org.obkm.api.client.SoftwareRegistration("soft1", "org1", Set.of("AISP"), "dir",
                        null, "ES256", "PS256", "PS256", Set.of("code"), "web", null, false));
        SignedJWT jwt = ps256(claims().build());
        OAuthException e = assertThrows(OAuthException.class,
                () -> verifier.verify(registered, jwt, TOKEN_ENDPOINT, AssertionAudiences.RFC7523));
        assertEquals("invalid_client", e.error().getCode());
        assertTrue(e.error().getDescription().contains("token_endpoint_auth_signing_alg ES256"),
                e.error().getDescription());
        SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec").build(), claims().build());
        es.sign(new ECDSASigner(ec));
        assertDoesNotThrow(() -> verifier.verify(registered, es, TOKEN_ENDPOINT, AssertionAudiences.RFC7523));
    }

    @Test
    public void rejectsHs256() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        jwt.sign(new MACSigner(new byte[32]));
        rejected(jwt, "HS256");
    }

    @Test
    public void rejectsSignatureByAnotherKey() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa").build(), claims().build());
        jwt.sign(new RSASSASigner(otherRsa));
        rejected(jwt, "signature");
    }

    @Test
    public void rejectsIssuerOtherThanClient() throws Exception {
        rejected(with(b -> b.issuer("someone-else")), "iss and sub");
    }

    @Test
    public void rejectsSubjectOtherThanClient() throws Exception {
        rejected(with(b -> b.subject("someone-else")), "iss and sub");
    }

    @Test
    public void rejectsWrongAudience() throws Exception {
        rejected(with(b -> b.audience("https://other.example/token")), "aud");
    }

    @Test
    public void rejectsMissingExp() throws Exception {
        rejected(with(b -> b.expirationTime(null)), "no exp");
    }

    @Test
    public void rejectsExpiredAssertion() throws Exception {
        rejected(with(b -> b.issueTime(new Date(System.currentTimeMillis() - 120_000))
                .expirationTime(new Date(System.currentTimeMillis() - 60_000))), "expired");
    }

    @Test
    public void rejectsExpTooFarAhead() throws Exception {
        rejected(with(b -> b.issueTime(null).expirationTime(new Date(System.currentTimeMillis() + 600_000))),
                "lives too long");
    }

    @Test
    public void rejectsIatInTheFuture() throws Exception {
        rejected(with(b -> b.issueTime(new Date(System.currentTimeMillis() + 60_000))), "iat");
    }

    @Test
    public void rejectsNbfInTheFuture() throws Exception {
        rejected(with(b -> b.notBeforeTime(new Date(System.currentTimeMillis() + 60_000))), "nbf");
    }

    @Test
    public void rejectsMissingJti() throws Exception {
        rejected(with(b -> b.jwtID(null)), "jti");
    }

    @Test
    public void rejectsReplayedJti() throws Exception {
        SignedJWT jwt = ps256(claims().build());
        verifier.verify(client, jwt, TOKEN_ENDPOINT, AssertionAudiences.RFC7523);
        rejected(jwt, "already used");
    }

    @Test
    public void doesNotRecordJtiOfAForgedAssertion() throws Exception {
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa").build(),
                claims().build());
        forged.sign(new RSASSASigner(otherRsa));
        rejected(forged, "signature");
        assertTrue(state.values.isEmpty(), "a forged assertion must not burn the jti");
    }

    @Test
    public void failsClosedWhenTheClusterIsUnavailable() throws Exception {
        state.down = true;
        // Failures answers it 503 temporarily_unavailable, in one place for every endpoint.
        assertThrows(ClusterUnavailableException.class,
                () -> verifier.verify(client, ps256(claims().build()), TOKEN_ENDPOINT, AssertionAudiences.RFC7523));
    }
}
