package org.obkm.oauth.internal.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.obkm.oauth.internal.CpuGate;
import org.obkm.oauth.internal.TestKeys;
import org.obkm.oauth.internal.TestSettings;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;

/** Issue 10 item 11: RFC 9701 JWT introspection responses, signed through the keys bundle's service. */
class IntrospectionJwtTest {

    private final IntrospectionJwt jwt = new IntrospectionJwt(TestKeys.signing(), TestSettings.defaults(),
            CpuGate.ungated());

    @Test
    void theResponseIsASignedTokenIntrospectionJwtForTheCallingClient() throws Exception {
        Map<String, Object> introspection = Map.of("active", true, "client_id", "tpp-1", "scope", "accounts");
        SignedJWT signed = SignedJWT.parse(jwt.sign("gateway", introspection));
        assertTrue(signed.verify(new RSASSAVerifier(TestKeys.KEY.toRSAPublicKey())), "verifies with the JWKS key");
        assertEquals(JWSAlgorithm.PS256, signed.getHeader().getAlgorithm());
        assertEquals(new JOSEObjectType("token-introspection+jwt"), signed.getHeader().getType());
        assertEquals(TestKeys.KEY.getKeyID(), signed.getHeader().getKeyID());
        assertEquals(TestSettings.ISSUER, signed.getJWTClaimsSet().getIssuer());
        assertEquals(List.of("gateway"), signed.getJWTClaimsSet().getAudience());
        assertNotNull(signed.getJWTClaimsSet().getIssueTime());
        assertEquals(introspection, signed.getJWTClaimsSet().getJSONObjectClaim("token_introspection"));
    }

    @Test
    void aJwtIsAnsweredOnlyWhenTheAcceptHeaderAsksForIt() {
        assertTrue(IntrospectionJwt.requested("application/token-introspection+jwt"));
        assertTrue(IntrospectionJwt.requested("application/json;q=0.5, Application/Token-Introspection+JWT"));
        assertTrue(IntrospectionJwt.requested("application/token-introspection+jwt; q=0.8"));
        assertFalse(IntrospectionJwt.requested(null));
        assertFalse(IntrospectionJwt.requested("application/json"));
        assertFalse(IntrospectionJwt.requested("*/*"));
        assertFalse(IntrospectionJwt.requested("application/token-introspection+jwt;q=0"));
        assertFalse(IntrospectionJwt.requested("application/jwt"));
    }
}
