package org.obkm.oauth.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.oauth.internal.sender.ClientCertificates;
import org.obkm.oauth.internal.TestMtlsConfig;
import org.obkm.oauth.internal.TestDpop;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.InMemorySharedState;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** The access token check of a protected resource: scheme, activity, DPoP and certificate binding. */
class ResourceRequestsTest {

    private static final String URL = "https://as.bank.example/oauth2/userinfo";
    private static final ECKey KEY = key();

    private final Map<String, JWTClaimsSet> active = new HashMap<>();
    private final ResourceRequests resources = new ResourceRequests(t -> Optional.ofNullable(active.get(t)),
            TestDpop.proofs(new InMemorySharedState()), new ClientCertificates(new TestMtlsConfig()));

    private static ECKey key() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static HttpServletRequest request(Map<String, String> headers, Map<String, Object> attributes) {
        return (HttpServletRequest) Proxy.newProxyInstance(ResourceRequestsTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> headers.get(args[0]);
                    case "getHeaders" -> headers.containsKey(args[0])
                            ? Collections.enumeration(List.of(headers.get(args[0]))) : Collections.emptyEnumeration();
                    case "getMethod" -> "GET";
                    case "getRemoteAddr" -> "127.0.0.1";
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "getAttribute" -> attributes.get(args[0]);
                    default -> null;
                });
    }

    private ResourceRequests.Access verify(Map<String, String> headers) throws OAuthException {
        return resources.verify(request(headers, new HashMap<>()), URL, token -> { });
    }

    private void refused(Map<String, String> headers, String error, String descriptionPart) {
        OAuthException e = assertThrows(OAuthException.class, () -> verify(headers));
        assertEquals(error, e.error().getCode());
        assertEquals(401, e.error().getHTTPStatusCode());
        assertTrue(e.error().getDescription().contains(descriptionPart), e.error().getDescription());
    }

    private String token(Map<String, Object> cnf) {
        String token = UUID.randomUUID().toString();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject("u-1").claim("scope", "openid");
        if (cnf != null) {
            b.claim("cnf", cnf);
        }
        active.put(token, b.build());
        return token;
    }

    private static String proof(String token) throws Exception {
        byte[] ath = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(KEY.toPublicJWK()).build(), new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
                .claim("htm", "GET").claim("htu", URL).issueTime(new Date())
                .claim("ath", Base64URL.encode(ath).toString()).build());
        jwt.sign(new ECDSASigner(KEY));
        return jwt.serialize();
    }

    @Test
    void acceptsAnActiveBearerToken() throws Exception {
        ResourceRequests.Access access = verify(Map.of("Authorization", "Bearer " + token(null)));
        assertEquals("Bearer", access.scheme());
        assertEquals("u-1", access.claims().getSubject());
    }

    @Test
    void acceptsADpopBoundTokenWithItsProof() throws Exception {
        String token = token(Map.of("jkt", KEY.computeThumbprint().toString()));
        assertEquals("DPoP", verify(Map.of("Authorization", "DPoP " + token, "DPoP", proof(token))).scheme());
    }

    @Test
    void refusesAMissingTokenOrAnotherScheme() {
        refused(Map.of(), "invalid_request", "access token is required");
        refused(Map.of("Authorization", "Basic abc"), "invalid_request", "Bearer or DPoP");
        refused(Map.of("Authorization", "Bearer "), "invalid_request", "Bearer or DPoP");
    }

    @Test
    void theResourcePolicyJudgesTheTokenBeforeItsBinding() {
        String dpopBound = token(Map.of("jkt", "not-checked-yet"));
        OAuthException e = assertThrows(OAuthException.class, () -> resources.verify(
                request(Map.of("Authorization", "Bearer " + dpopBound), new HashMap<>()), URL, token -> {
                    throw new OAuthException(new com.nimbusds.oauth2.sdk.ErrorObject("invalid_token",
                            "the client's profile refuses this token here", 401));
                }));
        assertTrue(e.error().getDescription().contains("profile"), e.error().getDescription());
    }

    @Test
    void refusesAnInactiveToken() {
        refused(Map.of("Authorization", "Bearer unknown"), "invalid_token", "not active");
    }

    @Test
    void refusesATokenPresentedOtherwiseThanItIsBound() throws Exception {
        String dpopBound = token(Map.of("jkt", KEY.computeThumbprint().toString()));
        refused(Map.of("Authorization", "Bearer " + dpopBound), "invalid_token", "DPoP scheme");
        refused(Map.of("Authorization", "DPoP " + token(null)), "invalid_token", "not DPoP-bound");
        String certificateBound = token(Map.of("x5t#S256", "bm90LXRoaXMtY2VydA"));
        refused(Map.of("Authorization", "Bearer " + certificateBound), "invalid_token", "client certificate");
    }

    @Test
    void theChallengeNamesTheSchemeTheRequestUsed() throws Exception {
        Map<String, Object> attributes = new HashMap<>();
        HttpServletRequest req = request(Map.of("Authorization", "DPoP unknown"), attributes);
        OAuthException e = assertThrows(OAuthException.class, () -> resources.verify(req, URL, token -> { }));
        Map<String, Object> sent = new HashMap<>();
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setHeader", "setStatus" -> sent.put(method.getName().equals("setStatus") ? "status"
                                : (String) args[0], method.getName().equals("setStatus") ? args[0] : args[1]);
                        case "getHeader" -> {
                            return sent.get(args[0]);
                        }
                        case "getOutputStream" -> {
                            return new javax.servlet.ServletOutputStream() {
                                @Override
                                public void write(int b) {
                                }

                                @Override
                                public boolean isReady() {
                                    return true;
                                }

                                @Override
                                public void setWriteListener(javax.servlet.WriteListener listener) {
                                }
                            };
                        }
                        default -> { }
                    }
                    return null;
                });
        ResourceRequests.writeError(req, resp, e);
        assertEquals(401, sent.get("status"));
        assertEquals("DPoP realm=\"obkm\", error=\"invalid_token\", algs=\"ES256 PS256\"", sent.get("WWW-Authenticate"));
    }
}
