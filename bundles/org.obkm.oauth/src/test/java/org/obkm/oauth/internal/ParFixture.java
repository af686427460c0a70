package org.obkm.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.function.Executable;
import org.obkm.api.client.Client;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.oauth.internal.policy.ClientProfiles;
import org.obkm.oauth.internal.request.AuthorizationRequestValidator;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.jose.JOSEException;
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
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/** Keys, a client, a valid request object and a fixed clock for the PAR validation tests. */
public final class ParFixture {

    public static final String CLIENT_ID = "tpp-1";
    public static final String REDIRECT_URI = "https://tpp.example/cb";
    public static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    public static final String CHALLENGE = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier()).getValue();
    public static final RSAKey RSA = generateRsa();
    public static final RSAKey OTHER_RSA = generateRsa();
    static final ECKey EC = generateEc();
    public static final Client CLIENT = client(CLIENT_ID, Set.of("authorization_code"));

    private ParFixture() {
    }

    public static Client client(String clientId, Set<String> grants) {
        return new Client(clientId, "TPP", grants, Set.of("accounts", "payments"),
                TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null,
                new JWKSet(List.of(RSA.toPublicJWK(), EC.toPublicJWK())).toString(), null,
                List.of(REDIRECT_URI, "https://tpp.example/other"), null, NOW);
    }

    /** A request object that every default profile accepts. */
    public static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(CLIENT_ID).audience(TestSettings.ISSUER)
                .notBeforeTime(Date.from(NOW.minusSeconds(5))).expirationTime(Date.from(NOW.plusSeconds(300)))
                .claim("client_id", CLIENT_ID).claim("response_type", "code").claim("redirect_uri", REDIRECT_URI)
                .claim("scope", "openid accounts").claim("state", "st-1").claim("nonce", "n-1")
                .claim("code_challenge", CHALLENGE).claim("code_challenge_method", "S256");
    }

    public static JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder b = claims();
        change.accept(b);
        return b.build();
    }

    public static String ps256(JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(RSA.getKeyID()).build(), claims, RSA);
    }

    public static String es256(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(EC.getKeyID()).build(), claims);
        try {
            jwt.sign(new ECDSASigner(EC));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public static String sign(JWSHeader header, JWTClaimsSet claims, RSAKey key) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** A PAR form POST carrying these parameters. */
    public static HTTPRequest form(Map<String, String> params) {
        HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create("https://as.bank.example/oauth2/par"));
        r.setEntityContentType(ContentType.APPLICATION_URLENCODED);
        Map<String, List<String>> multi = new LinkedHashMap<>();
        params.forEach((k, v) -> multi.put(k, List.of(v)));
        r.setBody(URLUtils.serializeParameters(multi));
        return r;
    }

    public static HTTPRequest request(String requestObject) {
        return form(Map.of("request", requestObject));
    }

    /** Plain parameters equal to the valid request object's. */
    public static Map<String, String> plainParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("client_id", CLIENT_ID);
        m.put("response_type", "code");
        m.put("redirect_uri", REDIRECT_URI);
        m.put("scope", "openid accounts");
        m.put("state", "st-1");
        m.put("code_challenge", CHALLENGE);
        m.put("code_challenge_method", "S256");
        return m;
    }

    public static AuthorizationRequestValidator validator(Map<String, Object> profileConfig) {
        return validator(profileConfig, "fapi2-message-signing");
    }

    /** A validator of the default profile that finds the consents an authorization request names here. */
    public static AuthorizationRequestValidator validator(org.obkm.api.consent.ConsentService consents) {
        TestSettings config = new TestSettings();
        config.defaultProfile = "fapi2-message-signing";
        return new AuthorizationRequestValidator(new ServerSettings(config), new ClientProfiles(config, Map.of()),
                Clock.fixed(NOW, ZoneOffset.UTC), consents);
    }

    public static AuthorizationRequestValidator validator(Map<String, Object> profileConfig, String defaultProfile) {
        TestSettings config = new TestSettings();
        config.defaultProfile = defaultProfile;
        return AuthorizationRequestValidator.atClock(new ServerSettings(config), new ClientProfiles(config, profileConfig),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Asserts the refusal's code, status 400 and a description containing the given part. */
    public static OAuthException refused(String code, String descriptionPart, Executable call) {
        OAuthException e = assertThrows(OAuthException.class, call);
        assertEquals(code, e.error().getCode(), e.getMessage());
        assertEquals(400, e.error().getHTTPStatusCode(), e.getMessage());
        assertTrue(e.error().getDescription().contains(descriptionPart), e.error().getDescription());
        return e;
    }

    private static RSAKey generateRsa() {
        try {
            return new RSAKeyGenerator(2048).keyID("rsa").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generateEc() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
