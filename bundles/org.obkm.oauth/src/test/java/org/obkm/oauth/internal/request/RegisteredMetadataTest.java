package org.obkm.oauth.internal.request;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.SoftwareRegistration;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.TestSettings;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * What a client registered by DCR (issue 13) registered holds at PAR: its response_types and its
 * request_object_signing_alg; a client made in the shell registered neither and is judged by its profile.
 */
public class RegisteredMetadataTest {

    private static final RSAKey RSA = key(() -> new RSAKeyGenerator(2048).keyID("rsa").generate());
    private static final ECKey EC = key(() -> new ECKeyGenerator(Curve.P_256).keyID("ec").generate());

    private interface Make<T> {
        T make() throws Exception;
    }

    private static <T> T key(Make<T> m) {
        try {
            return m.make();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Client client(SoftwareRegistration software) {
        return new Client("tpp-1", "TPP", Set.of("authorization_code"), Set.of("openid", "accounts"),
                TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null,
                new JWKSet(List.of(RSA.toPublicJWK(), EC.toPublicJWK())).toString(), null,
                List.of("https://tpp.example/cb"), null, Instant.now(), null, null, null, software);
    }

    private static SoftwareRegistration registered(Set<String> responseTypes, String requestObjectAlg) {
        return new SoftwareRegistration("soft1", "org1", Set.of("AISP"), "OpenBanking Ltd", "sandbox", "PS256",
                "PS256", requestObjectAlg, responseTypes, "web", null, false);
    }

    private static RequestContext context(Client c, String responseType) {
        return new RequestContext(c, TestSettings.ISSUER, Instant.now(), Duration.ZERO, null, null,
                Map.of("response_type", List.of(responseType)));
    }

    @Test
    public void refusesAResponseTypeTheClientDidNotRegister() {
        OAuthException e = assertThrows(OAuthException.class, () -> ParameterChecks.responseTypeCodeOrCodeIdToken(
                context(client(registered(Set.of("code id_token"), "PS256")), "code")));
        assertEquals("unauthorized_client", e.error().getCode());
        assertTrue(e.error().getDescription().contains("registered response_types"), e.error().getDescription());
    }

    @Test
    public void acceptsARegisteredResponseTypeInEitherOrder() {
        Client c = client(registered(Set.of("code id_token"), "PS256"));
        assertDoesNotThrow(() -> ParameterChecks.responseTypeCodeOrCodeIdToken(context(c, "id_token code")));
    }

    @Test
    public void judgesAShellClientByItsProfileOnly() {
        Client shell = client(SoftwareRegistration.NONE);
        assertDoesNotThrow(() -> ParameterChecks.responseTypeCodeOrCodeIdToken(context(shell, "code")));
        assertDoesNotThrow(() -> ParameterChecks.responseTypeCodeOrCodeIdToken(context(shell, "code id_token")));
    }

    private static String requestObject(JWSAlgorithm alg) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(alg == JWSAlgorithm.ES256 ? "ec" : "rsa")
                .type(RequestObjectVerifier.TYPE).build(), new JWTClaimsSet.Builder().issuer("tpp-1").build());
        jwt.sign(alg == JWSAlgorithm.ES256 ? new ECDSASigner(EC) : new RSASSASigner(RSA));
        return jwt.serialize();
    }

    @Test
    public void refusesARequestObjectOfAnotherAlgorithmThanTheRegisteredOne() throws Exception {
        Client c = client(registered(Set.of("code"), "ES256"));
        OAuthException e = assertThrows(OAuthException.class,
                () -> new RequestObjectVerifier().verify(c, requestObject(JWSAlgorithm.PS256)));
        assertEquals("invalid_request_object", e.error().getCode());
        assertTrue(e.error().getDescription().contains("request_object_signing_alg ES256"), e.error().getDescription());
        assertDoesNotThrow(() -> new RequestObjectVerifier().verify(c, requestObject(JWSAlgorithm.ES256)));
    }

    @Test
    public void acceptsEitherAlgorithmFromAShellClient() {
        Client shell = client(SoftwareRegistration.NONE);
        assertDoesNotThrow(() -> new RequestObjectVerifier().verify(shell, requestObject(JWSAlgorithm.PS256)));
        assertDoesNotThrow(() -> new RequestObjectVerifier().verify(shell, requestObject(JWSAlgorithm.ES256)));
    }
}
