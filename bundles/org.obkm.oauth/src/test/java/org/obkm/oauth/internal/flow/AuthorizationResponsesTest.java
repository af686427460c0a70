package org.obkm.oauth.internal.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.JarmAlgorithms;
import org.obkm.api.flow.FlowStep;
import org.obkm.api.keys.SigningService;
import org.obkm.oauth.internal.ParFixture;
import org.obkm.oauth.internal.TestClients;
import org.obkm.oauth.internal.TestKeys;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.request.PushedRequest;
import org.obkm.oauth.internal.token.ResponseJwts;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * The response builder: JARM responses (JARM §4) signed with the server's key, encrypted to the
 * client's when it registered it, in the query, the fragment or a form post; plain responses as before.
 */
public class AuthorizationResponsesTest {

    private static final AuthorizationCode CODE = new AuthorizationCode("code-123");

    private final AtomicReference<JWSAlgorithm> signedWith = new AtomicReference<>();

    private AuthorizationResponses responses(Client client) {
        SigningService keys = TestKeys.signing();
        SigningService recording = new SigningService() {
            @Override
            public String signJwt(JWSAlgorithm alg, JOSEObjectType type, JWTClaimsSet claims) {
                signedWith.set(alg);
                return keys.signJwt(JWSAlgorithm.PS256, type, claims);
            }

            @Override
            public String sign(JWSHeader header, Payload payload) {
                return keys.sign(header, payload);
            }

            @Override
            public String signDetached(JWSHeader header, Payload payload) {
                return keys.signDetached(header, payload);
            }

            @Override
            public java.util.Set<JWSAlgorithm> algorithms() {
                return keys.algorithms();
            }
        };
        return new AuthorizationResponses(TestSettings.defaults(), TestClients.of(client), new ResponseJwts(recording));
    }

    private static PushedRequest request(String responseType, String mode) {
        return new PushedRequest(ParFixture.CLIENT_ID, ParFixture.REDIRECT_URI, responseType, "openid accounts",
                "st-1", "n-1", ParFixture.CHALLENGE, "S256", null, "fapi2", null, mode);
    }

    private static Map<String, String> query(URI uri) {
        return URLUtils.parseParameters(uri.getRawQuery()).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
    }

    private static Map<String, String> fragment(URI uri) {
        return URLUtils.parseParameters(uri.getRawFragment()).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
    }

    /** Verified with the server's public key; the claims JARM §4.1 asks for. */
    private static JWTClaimsSet verified(String jwt) throws Exception {
        SignedJWT signed = SignedJWT.parse(jwt);
        assertTrue(signed.verify(new RSASSAVerifier(TestKeys.KEY.toRSAPublicKey())), "signed with the server's key");
        assertEquals(TestKeys.KEY.getKeyID(), signed.getHeader().getKeyID());
        JWTClaimsSet c = signed.getJWTClaimsSet();
        assertEquals(TestSettings.ISSUER, c.getIssuer());
        assertEquals(List.of(ParFixture.CLIENT_ID), c.getAudience());
        long left = c.getExpirationTime().getTime() - System.currentTimeMillis();
        // The conformance suite's ValidateJARMExpRecommendations: at most 10 minutes, at least 10 seconds.
        assertTrue(left > 10_000 && left <= 600_000, "exp in " + left + " ms");
        return c;
    }

    @Test
    public void queryJwtCarriesCodeStateIssAudAndAShortExpSignedWithTheServerKey() throws Exception {
        FlowStep step = responses(ParFixture.CLIENT).success(request("code", "query.jwt"), CODE, null);
        assertEquals(FlowStep.Kind.REDIRECT, step.kind());
        URI to = step.redirect();
        assertTrue(to.toString().startsWith(ParFixture.REDIRECT_URI + "?response="), to.toString());
        assertEquals(List.of("response"), List.copyOf(query(to).keySet()), "the JWT is the only parameter");
        JWTClaimsSet c = verified(query(to).get("response"));
        assertEquals("code-123", c.getStringClaim("code"));
        assertEquals("st-1", c.getStringClaim("state"));
        assertEquals(JWSAlgorithm.PS256, signedWith.get(), "the default when the client registered none");
    }

    @Test
    public void jwtIsQueryJwtForCodeAndFragmentJwtWithAnIdToken() throws Exception {
        URI code = responses(ParFixture.CLIENT).success(request("code", "jwt"), CODE, null).redirect();
        assertTrue(query(code).containsKey("response"), code.toString());
        assertNull(code.getRawFragment());
        String idToken = TestKeys.signing().signJwt(JWSAlgorithm.PS256, JOSEObjectType.JWT,
                new JWTClaimsSet.Builder().subject("u-1").build());
        URI hybrid = responses(ParFixture.CLIENT).success(request("code id_token", "jwt"), CODE, idToken).redirect();
        assertNull(hybrid.getRawQuery(), hybrid.toString());
        JWTClaimsSet c = verified(fragment(hybrid).get("response"));
        assertEquals("code-123", c.getStringClaim("code"));
        assertEquals(idToken, c.getStringClaim("id_token"));
    }

    @Test
    public void formPostJwtPostsOnlyTheResponseToTheRedirectUri() throws Exception {
        FlowStep step = responses(ParFixture.CLIENT).success(request("code", "form_post.jwt"), CODE, null);
        assertEquals(FlowStep.Kind.POST, step.kind());
        assertEquals(URI.create(ParFixture.REDIRECT_URI), step.redirect());
        assertEquals(List.of("response"), List.copyOf(step.form().keySet()));
        assertEquals("code-123", verified(step.form().get("response")).getStringClaim("code"));
    }

    @Test
    public void errorsAreJarmWrappedToo() throws Exception {
        FlowStep step = responses(ParFixture.CLIENT).error(request("code", "query.jwt"),
                OAuth2Error.ACCESS_DENIED.setDescription("the user denied the request"));
        Map<String, String> q = query(step.redirect());
        assertEquals(List.of("response"), List.copyOf(q.keySet()));
        JWTClaimsSet c = verified(q.get("response"));
        assertEquals("access_denied", c.getStringClaim("error"));
        assertEquals("the user denied the request", c.getStringClaim("error_description"));
        assertEquals("st-1", c.getStringClaim("state"));
    }

    @Test
    public void plainResponsesAreUnchanged() {
        Map<String, String> q = query(responses(ParFixture.CLIENT).success(request("code", null), CODE, null).redirect());
        assertEquals("code-123", q.get("code"));
        assertEquals("st-1", q.get("state"));
        assertEquals(TestSettings.ISSUER, q.get("iss"));
    }

    @Test
    public void signsWithTheAlgorithmTheClientRegistered() throws Exception {
        Client es256 = ParFixture.CLIENT.withJarm(new JarmAlgorithms("ES256", null, null));
        responses(es256).success(request("code", "query.jwt"), CODE, null);
        assertEquals(JWSAlgorithm.ES256, signedWith.get());
    }

    @Test
    public void encryptsToTheClientsRsaKeyWhenItRegisteredEncryption() throws Exception {
        RSAKey clientKey = new RSAKeyGenerator(2048).keyID("enc-1").keyUse(KeyUse.ENCRYPTION).generate();
        Client client = withKeys(new JarmAlgorithms(null, "RSA-OAEP-256", "A256GCM"), clientKey.toPublicJWK());
        String response = query(responses(client).success(request("code", "query.jwt"), CODE, null).redirect())
                .get("response");
        EncryptedJWT jwe = EncryptedJWT.parse(response);
        assertEquals(JWEAlgorithm.RSA_OAEP_256, jwe.getHeader().getAlgorithm());
        assertEquals(EncryptionMethod.A256GCM, jwe.getHeader().getEncryptionMethod());
        assertEquals("JWT", jwe.getHeader().getContentType(), "a nested JWT (JARM section 4.2)");
        assertEquals("enc-1", jwe.getHeader().getKeyID());
        jwe.decrypt(new RSADecrypter(clientKey));
        assertEquals("code-123", verified(jwe.getPayload().toString()).getStringClaim("code"));
    }

    @Test
    public void encryptsToTheClientsEcKeyWithEcdhEsAndTheDefaultContentEncryption() throws Exception {
        ECKey clientKey = new ECKeyGenerator(Curve.P_256).keyID("enc-ec").generate();
        Client client = withKeys(new JarmAlgorithms(null, "ECDH-ES", null), clientKey.toPublicJWK());
        FlowStep step = responses(client).success(request("code", "form_post.jwt"), CODE, null);
        EncryptedJWT jwe = EncryptedJWT.parse(step.form().get("response"));
        assertEquals(EncryptionMethod.A128CBC_HS256, jwe.getHeader().getEncryptionMethod(), "JARM section 5 default");
        jwe.decrypt(new ECDHDecrypter(clientKey));
        assertEquals("st-1", verified(jwe.getPayload().toString()).getStringClaim("state"));
    }

    @Test
    public void refusesToAnswerUnencryptedWhenTheClientHasNoKeyToEncryptTo() throws Exception {
        // RSA-OAEP-256 registered, but the only key is an EC signature key.
        Client client = withKeys(new JarmAlgorithms(null, "RSA-OAEP-256", null),
                new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).generate().toPublicJWK());
        assertThrows(IllegalStateException.class,
                () -> responses(client).success(request("code", "query.jwt"), CODE, null));
    }

    private static Client withKeys(JarmAlgorithms jarm, com.nimbusds.jose.jwk.JWK key) {
        Client c = ParFixture.CLIENT;
        return new Client(c.clientId(), c.name(), c.grantTypes(), c.scopes(), c.authMethod(), null,
                new JWKSet(key).toString(), null, c.redirectUris(), null, Instant.now(), Instant.now(), c.policy(), jarm);
    }
}
