package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.obkm.itests.support.ClientAssertions;
import org.obkm.itests.support.Https;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Everything the node must refuse, each case on its own: client authentication failures
 * (RFC 6749 §2.3, RFC 7523 §3) are 401 {@code invalid_client} with a challenge, malformed requests
 * are 4xx RFC 6749 §5.2 errors, and nothing is ever a 5xx.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RejectionIT extends NodeTestSupport {

    private static CreatedClient basic;
    private static CreatedClient post;
    private static CreatedClient jwtClient;
    private static RSAKey clientRsa;
    private static ECKey clientEc;
    /** Same kid as the registered RSA key, other key material: a forged signature. */
    private static RSAKey forgerRsa;

    @Before
    public void registerClients() throws Exception {
        if (basic != null) {
            return;
        }
        clientRsa = new RSAKeyGenerator(2048).keyID("client-rsa").generate();
        clientEc = new ECKeyGenerator(Curve.P_256).keyID("client-ec").generate();
        forgerRsa = new RSAKeyGenerator(2048).keyID("client-rsa").generate();
        String jwks = new JWKSet(List.of(clientRsa.toPublicJWK(), clientEc.toPublicJWK())).toString();
        jwtClient = createClient(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, jwks, "accounts");
        post = createClient(TokenEndpointAuthMethod.CLIENT_SECRET_POST, null, "accounts");
        basic = createClient(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, "accounts");
    }

    // --- HTTP methods ------------------------------------------------------------------------

    /**
     * Issue 16: an unsupported method is 405 with an Allow header on every endpoint. PATCH on the GET
     * endpoints was 501 (HttpServlet's answer for a method it does not know), HEAD and OPTIONS on the
     * form endpoints were 400.
     */
    @Test
    public void everyEndpointAnswersAnUnsupportedMethodWith405AndTheMethodsItAllows() {
        Map<String, String> allowed = new LinkedHashMap<>();
        for (String get : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server",
                "/oauth2/token/.well-known/openid-configuration", "/oauth2/jwks", "/health")) {
            allowed.put(get, "GET, HEAD");
        }
        for (String post : List.of(TOKEN, INTROSPECT, REVOKE, "/oauth2/par")) {
            allowed.put(post, "POST");
        }
        allowed.put("/oauth2/authorize", "GET");
        allowed.put("/oauth2/userinfo", "GET, POST");
        allowed.put("/authn/login", "GET, POST");
        allowed.put("/authn/consent", "GET, POST");
        List<String> wrong = new ArrayList<>();
        allowed.forEach((path, allow) -> {
            for (String method : List.of("PATCH", "PUT", "DELETE", "OPTIONS", "TRACE", "HEAD", "GET", "POST")) {
                if (List.of(allow.split(", ")).contains(method)) {
                    continue;
                }
                HttpRequest.Builder b = HttpRequest.newBuilder(https().uri(path));
                b = "HEAD".equals(method) || "GET".equals(method) || "TRACE".equals(method) || "OPTIONS".equals(method)
                        ? b.method(method, HttpRequest.BodyPublishers.noBody())
                        : b.header("Content-Type", FORM).method(method, HttpRequest.BodyPublishers.ofString("a=b"));
                Https.Response r = https().exchange(b);
                // TRACE never reaches a servlet: the HTTP server refuses it with 405 itself, without Allow.
                boolean allowShown = "TRACE".equals(method) || allow.equals(r.header("Allow"));
                if (r.status() != 405 || !allowShown) {
                    wrong.add(method + " " + path + " -> " + r.status() + " Allow: " + r.header("Allow"));
                }
            }
        });
        assertTrue("unsupported methods not answered 405 with Allow: " + wrong, wrong.isEmpty());
    }

    // --- client_secret_basic / client_secret_post ---------------------------------------------

    @Test
    public void rejectsWrongSecret() {
        assertOAuthError(token(Https.basic(basic.client().clientId(), basic.secret() + "x"), ccGrant()),
                401, "invalid_client");
    }

    @Test
    public void rejectsUnknownClient() {
        assertOAuthError(token(Https.basic("no-such-client", basic.secret()), ccGrant()), 401, "invalid_client");
    }

    @Test
    public void rejectsRequestWithoutClientAuthentication() {
        assertOAuthError(https().postForm(TOKEN, ccGrant()), 401, "invalid_client");
    }

    @Test
    public void rejectsTwoAuthenticationMethodsAtOnce() {
        String body = Https.form("grant_type", "client_credentials", "client_id", basic.client().clientId(),
                "client_secret", basic.secret());
        assertOAuthError(token(basicAuth(), body), 400, "invalid_request");
    }

    // --- private_key_jwt ----------------------------------------------------------------------

    @Test
    public void acceptsPs256Assertion() {
        Https.Response r = assertionRequest(ClientAssertions.sign(clientRsa, JWSAlgorithm.PS256, claims(b -> { })));
        assertEquals("token response " + r, 200, r.status());
        assertEquals("Bearer", r.json().get("token_type"));
    }

    @Test
    public void acceptsEs256Assertion() {
        Https.Response r = assertionRequest(ClientAssertions.sign(clientEc, claims(b -> { })));
        assertEquals("token response " + r, 200, r.status());
    }

    @Test
    public void rejectsAssertionWithBadSignature() {
        rejectsAssertion(ClientAssertions.sign(forgerRsa, JWSAlgorithm.PS256, claims(b -> { })));
    }

    @Test
    public void rejectsAssertionWithAlgHs256() {
        byte[] secret = "a shared secret is no private key, 32+ bytes".getBytes(StandardCharsets.UTF_8);
        rejectsAssertion(ClientAssertions.signHs256(secret, claims(b -> { })));
    }

    @Test
    public void rejectsAssertionWithAlgNone() {
        rejectsAssertion(ClientAssertions.unsigned(claims(b -> { })));
    }

    @Test
    public void rejectsAssertionWithAlgRs256() {
        rejectsAssertion(ClientAssertions.sign(clientRsa, JWSAlgorithm.RS256, claims(b -> { })));
    }

    @Test
    public void rejectsAssertionWithWrongAudience() {
        rejectsAssertion(signed(b -> b.audience("https://other-server.example/oauth2/token")));
    }

    @Test
    public void rejectsAssertionWithoutExp() {
        rejectsAssertion(signed(b -> b.expirationTime(null)));
    }

    @Test
    public void rejectsExpiredAssertion() {
        long now = System.currentTimeMillis();
        rejectsAssertion(signed(b -> b.issueTime(new Date(now - 120_000)).expirationTime(new Date(now - 60_000))));
    }

    @Test
    public void rejectsAssertionExpiringTooFarAhead() {
        rejectsAssertion(signed(b -> b.expirationTime(new Date(System.currentTimeMillis() + 600_000))));
    }

    @Test
    public void rejectsAssertionNotYetValid() {
        rejectsAssertion(signed(b -> b.notBeforeTime(new Date(System.currentTimeMillis() + 120_000))));
    }

    @Test
    public void rejectsAssertionIssuedInTheFuture() {
        long now = System.currentTimeMillis();
        rejectsAssertion(signed(b -> b.issueTime(new Date(now + 120_000)).expirationTime(new Date(now + 180_000))));
    }

    @Test
    public void rejectsAssertionWhoseIssuerIsNotTheSubject() {
        rejectsAssertion(signed(b -> b.issuer(basic.client().clientId())));
    }

    @Test
    public void rejectsAssertionWithoutJti() {
        rejectsAssertion(signed(b -> b.jwtID(null)));
    }

    @Test
    public void rejectsReplayedAssertion() {
        String assertion = signed(b -> b.jwtID(UUID.randomUUID().toString()));
        assertEquals("first use", 200, assertionRequest(assertion).status());
        rejectsAssertion(assertion);
    }

    // --- malformed requests: 4xx with an OAuth error, never 5xx -------------------------------

    @Test
    public void tokenEndpointRejectsGet() {
        Https.Response r = https().get(TOKEN + "?grant_type=client_credentials");
        assertOAuthError(r, 405, "invalid_request");
        assertEquals("POST", r.header("Allow"));
    }

    @Test
    public void tokenEndpointRejectsJsonBody() {
        Https.Response r = https().post(TOKEN, "application/json", "{\"grant_type\":\"client_credentials\"}",
                "Authorization", basicAuth());
        assertOAuthError(r, 400, "invalid_request");
    }

    @Test
    public void tokenEndpointRejectsMalformedForm() {
        assertOAuthError(token(basicAuth(), "grant_type=client_credentials&scope=%zz"), 400, "invalid_request");
    }

    @Test
    public void tokenEndpointRejectsInvalidUtf8InForm() {
        assertOAuthError(token(basicAuth(), "grant_type=client_credentials&scope=%ff"), 400, "invalid_request");
    }

    @Test
    public void introspectionRejectsMalformedForm() {
        assertOAuthError(https().postForm(INTROSPECT, "token=%zz", "Authorization", basicAuth()), 400, "invalid_request");
    }

    @Test
    public void revocationRejectsMalformedForm() {
        assertOAuthError(https().postForm(REVOKE, "token=%zz", "Authorization", basicAuth()), 400, "invalid_request");
    }

    /** RFC 6749 §2.3.1: client credentials "MUST NOT be included in the request URI". */
    @Test
    public void rejectsClientSecretInQueryString() {
        Https.Response r = https().postForm(TOKEN + "?" + Https.form("client_id", post.client().clientId(),
                "client_secret", post.secret()), ccGrant());
        assertTrue("credentials in the URL were accepted: " + r, r.status() == 400 || r.status() == 401);
        assertOAuthError(r, r.status(), r.status() == 400 ? "invalid_request" : "invalid_client");
    }

    @Test
    public void tokenEndpointRejectsOversizedBody() {
        assertTooLarge(token(basicAuth(), ccGrant() + "&padding=" + "a".repeat(100_000)));
    }

    @Test
    public void tokenEndpointRejectsOversizedChunkedBody() {
        byte[] body = (ccGrant() + "&padding=" + "a".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
        assertTooLarge(https().postStream(TOKEN, FORM, () -> new ByteArrayInputStream(body),
                "Authorization", basicAuth()));
    }

    /** Larger than Jetty's own form limit (200,000 bytes) too: must still be a clean 4xx. */
    @Test
    public void tokenEndpointRejectsHugeChunkedBody() {
        byte[] body = (ccGrant() + "&padding=" + "a".repeat(300_000)).getBytes(StandardCharsets.US_ASCII);
        assertTooLarge(https().postStream(TOKEN, FORM, () -> new ByteArrayInputStream(body),
                "Authorization", basicAuth()));
    }

    @Test
    public void rejectsRepeatedGrantType() {
        String body = Https.form("grant_type", "client_credentials", "grant_type", "client_credentials");
        assertOAuthError(token(basicAuth(), body), 400, "invalid_request");
    }

    @Test
    public void rejectsMissingGrantType() {
        assertOAuthError(token(basicAuth(), Https.form("scope", "accounts")), 400, "invalid_request");
    }

    @Test
    public void rejectsPasswordGrant() {
        String body = Https.form("grant_type", "password", "username", "alice", "password", "secret");
        assertOAuthError(token(basicAuth(), body), 400, "unsupported_grant_type");
    }

    /** RFC 6749 §5.2: a client registered for client_credentials only may not use the code grant. */
    @Test
    public void rejectsAuthorizationCodeGrantOfClientNotRegisteredForIt() {
        String body = Https.form("grant_type", "authorization_code", "code", "abc",
                "redirect_uri", "https://client.example/cb");
        assertOAuthError(token(basicAuth(), body), 400, "unauthorized_client");
    }

    @Test
    public void rejectsUnregisteredScope() {
        assertOAuthError(token(basicAuth(), Https.form("grant_type", "client_credentials", "scope", "accounts admin")),
                400, "invalid_scope");
    }

    @Test
    public void introspectionRequiresToken() {
        assertOAuthError(https().postForm(INTROSPECT, "", "Authorization", basicAuth()), 400, "invalid_request");
    }

    @Test
    public void introspectionRequiresClientAuthentication() {
        assertOAuthError(https().postForm(INTROSPECT, Https.form("token", "x")), 401, "invalid_client");
    }

    @Test
    public void introspectionOfGarbageIsInactive() {
        Https.Response r = https().postForm(INTROSPECT, Https.form("token", "eyJhbGciOiJub25lIn0.garbage."),
                "Authorization", basicAuth());
        assertEquals("introspection " + r, 200, r.status());
        assertEquals(Boolean.FALSE, r.json().get("active"));
        assertEquals("nothing but active", 1, r.json().size());
    }

    @Test
    public void revocationOfUnknownTokenSucceeds() {
        Https.Response r = https().postForm(REVOKE, Https.form("token", "not-a-token-we-issued"),
                "Authorization", basicAuth());
        assertEquals("revocation " + r, 200, r.status());
    }

    @Test
    public void revocationRequiresToken() {
        assertOAuthError(https().postForm(REVOKE, "", "Authorization", basicAuth()), 400, "invalid_request");
    }

    // --- helpers ------------------------------------------------------------------------------

    private static String ccGrant() {
        return Https.form("grant_type", "client_credentials");
    }

    private static String basicAuth() {
        return Https.basic(basic.client().clientId(), basic.secret());
    }

    private static Https.Response token(String authorization, String body) {
        return https().postForm(TOKEN, body, "Authorization", authorization);
    }

    private static JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
        return ClientAssertions.claims(jwtClient.client().clientId(), issuer(), change);
    }

    private static String signed(Consumer<JWTClaimsSet.Builder> change) {
        return ClientAssertions.sign(clientRsa, JWSAlgorithm.PS256, claims(change));
    }

    private static Https.Response assertionRequest(String assertion) {
        return https().postForm(TOKEN, Https.form("grant_type", "client_credentials",
                "client_assertion_type", ClientAssertions.JWT_BEARER, "client_assertion", assertion));
    }

    private static void rejectsAssertion(String assertion) {
        assertOAuthError(assertionRequest(assertion), 401, "invalid_client");
    }

    /** RFC 6749 leaves the status open: 413 is the precise one, 400 invalid_request acceptable. */
    private static void assertTooLarge(Https.Response r) {
        assertTrue("oversized body " + r, r.status() == 413 || r.status() == 400);
        assertOAuthError(r, r.status(), "invalid_request");
    }
}
