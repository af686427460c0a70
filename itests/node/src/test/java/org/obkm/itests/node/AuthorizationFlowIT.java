package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;
import javax.net.ssl.SSLContext;

import org.obkm.itests.support.Browser;
import org.obkm.itests.support.FlowClient;
import org.obkm.itests.support.Html;
import org.obkm.itests.support.Https;
import org.obkm.itests.support.Tls;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;

/**
 * The FAPI 2.0 authorization code flow without a browser, one rule per test: the authorization
 * endpoint takes pushed requests only (RFC 9126), the login and consent forms are bound to the browser
 * and the flow's CSRF token, codes are one-time, PKCE-checked and client-bound (RFC 6749 §4.1.3,
 * RFC 7636), tokens are DPoP-bound (RFC 9449), refresh tokens stay valid under the FAPI 2.0 profiles
 * (FAPI 2.0 SP §5.3.2.1) and rotate under {@code none}, where a replay revokes the family (OAuth 2.0
 * Security BCP §4.14). The clients have the default profile, fapi2-security-profile, unless a test says
 * otherwise. The pages are driven over plain HTTPS with a cookie jar
 * ({@link Browser}); the real browser runs in {@link BrowserFlowIT}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AuthorizationFlowIT extends NodeTestSupport {

    static final String REDIRECT_URI = "https://client.example.test/cb";
    static final String OTHER_REDIRECT_URI = "https://client.example.test/other";
    private static final String PASSWORD = "CorrectHorse7Battery";

    @Inject
    @Filter(timeout = 90_000)
    protected SessionFactory sessionFactory;

    private static String username;
    private static FlowClient client;
    private static FlowClient otherClient;
    /** Profile fapi2-message-signing: a signed request object is required. */
    private static FlowClient signingClient;
    /** Profile none: refresh tokens rotate. */
    private static FlowClient rotatingClient;
    private static final Map<String, RSAKey> clientKeys = new ConcurrentHashMap<>();

    @Before
    public void registerClientsAndUser() throws Exception {
        if (client != null) {
            return;
        }
        Shell shell = new Shell(sessionFactory);
        username = "alice" + UUID.randomUUID().toString().substring(0, 8);
        Shell.Result user = shell.execute("obkm:user-add --display-name \"Alice Example\" --password " + PASSWORD
                + " " + username);
        assertNull("user-add failed: " + user, user.failure());
        client = register(shell, "Flow IT Bank App");
        otherClient = register(shell, "Flow IT Other App");
        signingClient = register(shell, "Flow IT Signing App", "authorization_code,refresh_token",
                "fapi2-message-signing");
        rotatingClient = register(shell, "Flow IT Rotating App", "authorization_code,refresh_token", "none");
    }

    // --- the authorization endpoint -----------------------------------------------------------

    @Test
    public void authorizeWithoutRequestUriShowsErrorPage() {
        Browser b = client.browser();
        assertErrorPage(b.get(uri(FlowClient.AUTHORIZE + "?" + Https.form("client_id", client.clientId(),
                "response_type", "code", "redirect_uri", REDIRECT_URI, "scope", "openid"))));
        assertErrorPage(b.get(uri(FlowClient.AUTHORIZE)));
        assertNull("no flow cookie without a flow", b.cookie("OBKM_BROWSER"));
    }

    @Test
    public void authorizeWithUnknownRequestUriShowsErrorPage() {
        assertErrorPage(client.browser().get(client.authorizeUri(
                "urn:ietf:params:oauth:request_uri:" + UUID.randomUUID())));
    }

    @Test
    public void requestUriWorksOnlyOnce() {
        String requestUri = client.push(client.newAuthorization("openid accounts"));
        Https.Response first = client.browser().get(client.authorizeUri(requestUri));
        assertEquals("first use " + first, 303, first.status());
        assertEquals(FlowClient.LOGIN, first.location().getPath());
        assertErrorPage(client.browser().get(client.authorizeUri(requestUri)));
    }

    @Test
    public void requestUriOfAnotherClientIsRefused() {
        String requestUri = client.push(client.newAuthorization("openid accounts"));
        assertErrorPage(otherClient.browser().get(otherClient.authorizeUri(requestUri)));
        // RFC 9126 §4 leaves it open; this server burns a request_uri presented by the wrong client.
        assertErrorPage(client.browser().get(client.authorizeUri(requestUri)));
    }

    // --- the login form -----------------------------------------------------------------------

    @Test
    public void loginWithoutCsrfTokenIsRefusedAndChangesNothing() {
        Browser b = client.browser();
        Https.Response login = loginPage(b, client.newAuthorization("openid accounts"));
        Https.Response r = b.post(login.uri().resolve(FlowClient.LOGIN), Https.form(
                "flow", Html.hidden(login.body(), "flow"), "username", username, "password", PASSWORD));
        assertErrorPage(r);
        assertStillAtLogin(b, login);
    }

    @Test
    public void loginWithWrongCsrfTokenIsRefusedAndChangesNothing() {
        Browser b = client.browser();
        Https.Response login = loginPage(b, client.newAuthorization("openid accounts"));
        Https.Response r = b.post(login.uri().resolve(FlowClient.LOGIN), Https.form(
                "flow", Html.hidden(login.body(), "flow"), "csrf", "AAAA" + Html.hidden(login.body(), "csrf"),
                "username", username, "password", PASSWORD));
        assertErrorPage(r);
        assertStillAtLogin(b, login);
    }

    /** The flow is bound to the browser that started it: the form posted from elsewhere does nothing. */
    @Test
    public void loginFromBrowserWithoutTheCookieIsRefused() {
        Browser b = client.browser();
        Https.Response login = loginPage(b, client.newAuthorization("openid accounts"));
        Browser stranger = client.browser();
        assertErrorPage(stranger.get(login.uri()));
        assertErrorPage(stranger.signIn(login, username, PASSWORD));
        assertStillAtLogin(b, login);
    }

    @Test
    public void loginFromAnotherBrowsersSessionIsRefused() {
        Browser b = client.browser();
        Https.Response login = loginPage(b, client.newAuthorization("openid accounts"));
        Browser other = client.browser();
        loginPage(other, client.newAuthorization("openid accounts"));
        assertNotNull(other.cookie("OBKM_BROWSER"));
        assertNotEquals(b.cookie("OBKM_BROWSER"), other.cookie("OBKM_BROWSER"));
        assertErrorPage(other.signIn(login, username, PASSWORD));
        assertStillAtLogin(b, login);
    }

    @Test
    public void wrongPasswordShowsLoginPageAgainWithMessage() {
        Browser b = client.browser();
        Https.Response login = loginPage(b, client.newAuthorization("openid accounts"));
        Https.Response r = b.signIn(login, username, PASSWORD + "x");
        assertEquals("wrong password " + r, 200, r.status());
        assertNotNull("no #message after a wrong password: " + r, Html.textById(r.body(), "message"));
        assertEquals(username, Html.hidden(r.body(), "username"));
        assertNull("the password is never echoed", Html.hidden(r.body(), "password"));
        Https.Response ok = b.signIn(r, username, PASSWORD);
        assertEquals("then the right one " + ok, 303, ok.status());
        assertEquals(FlowClient.CONSENT, ok.location().getPath());
    }

    /**
     * After maxSignInAttemptsPerFlow (5) wrong passwords the client hears access_denied, with iss. A user
     * of its own: the user store locks the account after as many failures.
     */
    @Test
    public void tooManyWrongPasswordsSendAccessDeniedToTheClient() {
        String victim = "locked" + UUID.randomUUID().toString().substring(0, 8);
        Shell.Result user = new Shell(sessionFactory).execute("obkm:user-add --password " + PASSWORD + " " + victim);
        assertNull("user-add failed: " + user, user.failure());
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        Browser b = client.browser();
        Https.Response login = loginPage(b, a);
        Https.Response page = login;
        int attempts = 0;
        while (attempts < 10 && page.status() == 200) {
            page = b.signIn(page, victim, "wrong-" + ++attempts);
        }
        assertEquals("after repeated wrong passwords " + page, 303, page.status());
        assertEquals("maxSignInAttemptsPerFlow", 5, attempts);
        Map<String, String> q = Https.query(page.location());
        assertTrue(page.location().toString(), page.location().toString().startsWith(REDIRECT_URI + "?"));
        assertEquals("access_denied", q.get("error"));
        assertEquals(a.state(), q.get("state"));
        assertEquals(issuer(), q.get("iss"));
        assertErrorPage(b.get(login.uri()));
    }

    // --- the consent form ---------------------------------------------------------------------

    @Test
    public void consentPageNamesTheClientAndThePermissions() {
        Https.Response consent = consentPage(client.browser(), client.newAuthorization("openid accounts"));
        assertEquals("Flow IT Bank App", Html.textById(consent.body(), "client-name"));
        assertEquals(List.of("openid", "accounts"), Html.attributeValues(consent.body(), "data-code"));
    }

    /** Names come from registrations: the page shows them as text, never as markup. */
    @Test
    public void consentPageEscapesTheClientName() throws Exception {
        String name = "<img src=x onerror=alert(1)> & Co";
        FlowClient evil = register(new Shell(sessionFactory), name);
        Browser b = evil.browser();
        Https.Response authorize = b.get(evil.authorizeUri(evil.push(evil.newAuthorization("accounts"))));
        Https.Response login = b.get(authorize.location());
        assertEquals("login page " + login, 200, login.status());
        assertFalse("markup from the client name in " + login.body(), login.body().contains("<img"));
        assertEquals(name, Html.textById(login.body(), "client-name"));
        Https.Response consent = consentPageOf(b, login);
        assertFalse("markup from the client name in " + consent.body(), consent.body().contains("<img"));
        assertEquals(name, Html.textById(consent.body(), "client-name"));
    }

    @Test
    public void consentWithWrongCsrfTokenIsRefusedAndGivesNoCode() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        Browser b = client.browser();
        Https.Response consent = consentPage(b, a);
        Https.Response r = b.post(consent.uri().resolve(FlowClient.CONSENT), Https.form(
                "flow", Html.hidden(consent.body(), "flow"), "csrf", "x" + Html.hidden(consent.body(), "csrf"),
                "decision", "approve"));
        assertErrorPage(r);
        approved(b, consent, a);
    }

    @Test
    public void consentFromAnotherBrowserIsRefused() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        Browser b = client.browser();
        Https.Response consent = consentPage(b, a);
        assertErrorPage(client.browser().decide(consent, "approve"));
        approved(b, consent, a);
    }

    /** A double click, a second tab: one answer only, one code only. */
    @Test
    public void consentIsAnsweredOnlyOnce() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        Browser b = client.browser();
        Https.Response consent = consentPage(b, a);
        approved(b, consent, a);
        Https.Response again = b.decide(consent, "approve");
        assertErrorPage(again);
    }

    @Test
    public void consentBeforeSignInGivesNoCode() {
        Browser b = client.browser();
        Https.Response login = loginPage(b, client.newAuthorization("openid accounts"));
        Https.Response r = b.post(login.uri().resolve(FlowClient.CONSENT), Https.form(
                "flow", Html.hidden(login.body(), "flow"), "csrf", Html.hidden(login.body(), "csrf"),
                "decision", "approve"));
        assertTrue("consent posted at the login stage " + r, r.status() == 303 || r.status() == 400);
        if (r.status() == 303) {
            assertEquals("back to the login page, never to the client", FlowClient.LOGIN, r.location().getPath());
        }
    }

    // --- PAR ----------------------------------------------------------------------------------

    /** FAPI 2.0 Message Signing §5.3.1 (profile fapi2-message-signing): plain parameters are refused. */
    @Test
    public void parWithoutRequestObjectIsRefusedForFapi2MessageSigningClient() {
        assertTokenError(plainPar(signingClient, signingClient.newAuthorization("openid accounts")), 400,
                "invalid_request");
    }

    /**
     * Issue 10 item 10: FAPI 2.0 SP §5.3.2.2 allows plain PAR parameters, as the conformance suite's SP plan
     * sends them; the default profile takes them, and the flow goes on to tokens.
     */
    @Test
    public void parWithPlainParametersIsAcceptedForFapi2SecurityProfileClient() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        Https.Response r = plainPar(client, a);
        assertEquals("PAR " + r, 201, r.status());
        Map<String, String> q = approveFrom(client.browser(), (String) r.json().get("request_uri"), a);
        Https.Response tokens = client.redeem(q.get("code"), a);
        assertEquals("token " + tokens, 200, tokens.status());
    }

    private static Https.Response plainPar(FlowClient c, FlowClient.Authorization a) {
        return c.post(FlowClient.PAR, Https.form("client_id", c.clientId(),
                "client_assertion_type", FlowClient.JWT_BEARER, "client_assertion", c.clientAssertion(),
                "response_type", "code", "redirect_uri", REDIRECT_URI, "scope", a.scope(), "state", a.state(),
                "nonce", a.nonce(), "code_challenge", a.challenge(), "code_challenge_method", "S256"));
    }

    @Test
    public void parWithUnregisteredRedirectUriIsRefused() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        assertTokenError(client.par(a, c -> c.claim("redirect_uri", "https://attacker.example.test/cb"), true),
                400, "invalid_request");
    }

    // --- the code at the token endpoint -------------------------------------------------------

    @Test
    public void authorizationCodeFlowIssuesDpopBoundTokensAndIdToken() throws Exception {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        Browser b = client.browser();
        Https.Response login = loginPage(b, a);
        String cookie = b.setCookieHeaders().stream()
                .filter(h -> h.startsWith("OBKM_BROWSER=")).findFirst().orElse(null);
        assertNotNull("the authorization endpoint sets the browser cookie", cookie);
        for (String attribute : List.of("Secure", "HttpOnly", "SameSite=Lax", "Path=/")) {
            assertTrue(cookie, cookie.contains(attribute));
        }
        Map<String, String> redirect = approved(b, consentPageOf(b, login), a);
        assertEquals(a.state(), redirect.get("state"));
        assertEquals("RFC 9207 iss", issuer(), redirect.get("iss"));

        Https.Response r = client.redeem(redirect.get("code"), a);
        assertEquals("token response " + r, 200, r.status());
        assertEquals("no-store", r.header("Cache-Control"));
        Map<String, Object> tokens = r.json();
        assertEquals("DPoP", tokens.get("token_type"));
        assertEquals(Set.of("openid", "accounts"), Set.of(((String) tokens.get("scope")).split(" ")));
        String accessToken = (String) tokens.get("access_token");
        assertNotNull("refresh token for a client with the refresh_token grant", tokens.get("refresh_token"));

        SignedJWT idToken = SignedJWT.parse((String) tokens.get("id_token"));
        JWKSet jwks = JWKSet.parse(https().get("/oauth2/jwks").body());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(idToken.getHeader().getKeyID());
        assertNotNull("ID token kid not in /oauth2/jwks", key);
        assertEquals(JWSAlgorithm.PS256, idToken.getHeader().getAlgorithm());
        assertTrue("ID token signature", idToken.verify(new RSASSAVerifier(key)));
        JWTClaimsSet id = idToken.getJWTClaimsSet();
        assertEquals(issuer(), id.getIssuer());
        assertEquals(List.of(client.clientId()), id.getAudience());
        assertEquals(a.nonce(), id.getStringClaim("nonce"));
        assertNotNull("auth_time", id.getClaim("auth_time"));
        assertEquals(AccessTokenHash.compute(new DPoPAccessToken(accessToken), JWSAlgorithm.PS256, null).getValue(),
                id.getStringClaim("at_hash"));

        Map<String, Object> introspected = client.introspect(accessToken);
        assertEquals(Boolean.TRUE, introspected.get("active"));
        assertEquals(id.getSubject(), introspected.get("sub"));
        assertEquals("DPoP", introspected.get("token_type"));
        assertEquals(client.dpopThumbprint(), ((Map<?, ?>) introspected.get("cnf")).get("jkt"));

        Https.Response userinfo = client.userinfo(accessToken);
        assertEquals("userinfo " + userinfo, 200, userinfo.status());
        assertEquals(id.getSubject(), userinfo.json().get("sub"));
    }

    @Test
    public void denyReturnsAccessDeniedWithStateAndIss() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        Browser b = client.browser();
        Https.Response consent = consentPage(b, a);
        Https.Response r = b.decide(consent, "deny");
        assertEquals("deny " + r, 303, r.status());
        assertTrue(r.location().toString(), r.location().toString().startsWith(REDIRECT_URI + "?"));
        Map<String, String> q = Https.query(r.location());
        assertEquals("access_denied", q.get("error"));
        assertEquals(a.state(), q.get("state"));
        assertEquals(issuer(), q.get("iss"));
        assertNull(q.get("code"));
    }

    @Test
    public void reusedCodeIsInvalidGrantAndRevokesTheTokensItGave() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        String code = approve(client.browser(), a).get("code");
        Https.Response first = client.redeem(code, a);
        assertEquals("first redemption " + first, 200, first.status());
        String accessToken = (String) first.json().get("access_token");
        String refreshToken = (String) first.json().get("refresh_token");
        assertEquals(Boolean.TRUE, client.introspect(accessToken).get("active"));

        assertTokenError(client.redeem(code, a), 400, "invalid_grant");
        assertEquals("the access token of the first redemption is revoked", Boolean.FALSE,
                client.introspect(accessToken).get("active"));
        assertTokenError(client.refresh(refreshToken), 400, "invalid_grant");
    }

    @Test
    public void wrongCodeVerifierIsInvalidGrant() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        String code = approve(client.browser(), a).get("code");
        FlowClient.Authorization otherVerifier = client.newAuthorization("openid accounts");
        assertTokenError(client.token(true, "grant_type", "authorization_code", "code", code,
                "redirect_uri", a.redirectUri(), "code_verifier", otherVerifier.verifier().getValue()),
                400, "invalid_grant");
    }

    @Test
    public void missingCodeVerifierIsRefused() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        String code = approve(client.browser(), a).get("code");
        Https.Response r = client.token(true, "grant_type", "authorization_code", "code", code,
                "redirect_uri", a.redirectUri());
        assertTrue("no code_verifier " + r, r.status() == 400);
        assertTrue("no code_verifier " + r, Set.of("invalid_grant", "invalid_request").contains(r.json().get("error")));
    }

    @Test
    public void redirectUriMismatchIsInvalidGrant() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        String code = approve(client.browser(), a).get("code");
        assertTokenError(client.token(true, "grant_type", "authorization_code", "code", code,
                "redirect_uri", OTHER_REDIRECT_URI, "code_verifier", a.verifier().getValue()), 400, "invalid_grant");
    }

    @Test
    public void codeOfAnotherClientIsInvalidGrant() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        String code = approve(client.browser(), a).get("code");
        assertTokenError(otherClient.redeem(code, a), 400, "invalid_grant");
    }

    // Expired code: the lifetime is 60 s (authorizationCodeLifetimeSeconds); waiting for it is not worth
    // a minute per run. AuthorizationCodes' unit tests cover expiry with a clock.

    /** FAPI 2.0 §5.3.2.1: a fapi2 client's tokens must be sender-constrained; no proof, no token. */
    @Test
    public void tokenRequestWithoutDpopIsInvalidRequestForFapi2Client() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        // PAR without a proof too: the code is then bound to no key, and only the profile's rule refuses.
        String requestUri = pushWithoutDpop(a);
        String code = approveFrom(client.browser(), requestUri, a).get("code");
        assertTokenError(client.token(false, "grant_type", "authorization_code", "code", code,
                "redirect_uri", a.redirectUri(), "code_verifier", a.verifier().getValue()), 400, "invalid_request");
    }

    @Test
    public void dpopProofWithWrongHtuIsInvalidDpopProof() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        String code = approve(client.browser(), a).get("code");
        String wrongHtu = client.dpopProof("POST", client.base() + FlowClient.PAR);
        String[] form = {"grant_type", "authorization_code", "code", code, "redirect_uri", a.redirectUri(),
            "code_verifier", a.verifier().getValue()};
        assertTokenError(client.tokenWithProof(wrongHtu, form), 400, "invalid_dpop_proof");
        // The proof is checked before the code is used up: a faulty proof does not burn the code.
        Https.Response retry = client.redeem(code, a);
        assertEquals("the code after a refused proof " + retry, 200, retry.status());
    }

    @Test
    public void dpopProofOfAnotherKeyThanThePushedOneIsRefused() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        String code = approve(client.browser(), a).get("code");
        FlowClient sameClientOtherKey = new FlowClient(client.base(), issuer(), tls(), client.clientId(),
                clientKeys.get(client.clientId()), REDIRECT_URI);
        Https.Response r = sameClientOtherKey.redeem(code, a);
        assertTrue("proof of another key than the PAR's (RFC 9449 §10) " + r, r.status() == 400);
        assertTrue(r.toString(), Set.of("invalid_grant", "invalid_dpop_proof").contains(r.json().get("error")));
    }

    /** RFC 6749 §6: a refresh may narrow the granted scope, never widen it. */
    @Test
    public void refreshCannotWidenTheScope() {
        String refreshToken = (String) tokens("openid accounts").get("refresh_token");
        assertTokenError(client.token(true, "grant_type", "refresh_token", "refresh_token", refreshToken,
                "scope", "accounts payments"), 400, "invalid_scope");
        Https.Response narrowed = client.token(true, "grant_type", "refresh_token", "refresh_token",
                refreshToken, "scope", "accounts");
        assertEquals("narrowed refresh " + narrowed, 200, narrowed.status());
        assertEquals("accounts", narrowed.json().get("scope"));
    }

    /** RFC 9449 §11.1: a proof is good for one request; the jti is remembered cluster-wide. */
    @Test
    public void replayedDpopProofIsInvalidDpopProof() {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        String code = approve(client.browser(), a).get("code");
        String proof = client.dpopProof("POST", client.base() + TOKEN);
        Https.Response first = client.tokenWithProof(proof, "grant_type", "authorization_code", "code", code,
                "redirect_uri", a.redirectUri(), "code_verifier", a.verifier().getValue());
        assertEquals("first use of the proof " + first, 200, first.status());
        assertTokenError(client.tokenWithProof(proof, "grant_type", "refresh_token",
                "refresh_token", (String) first.json().get("refresh_token")), 400, "invalid_dpop_proof");
    }

    // --- userinfo -----------------------------------------------------------------------------

    @Test
    public void dpopBoundTokenWithBearerSchemeAtUserinfoIsInvalidToken() {
        String accessToken = (String) tokens("openid accounts").get("access_token");
        Https.Response r = client.get(FlowClient.USERINFO, "Authorization", "Bearer " + accessToken);
        assertTokenError(r, 401, "invalid_token");
        Https.Response withProof = client.get(FlowClient.USERINFO, "Authorization", "Bearer " + accessToken,
                "DPoP", client.dpopProof("GET", client.base() + FlowClient.USERINFO, accessToken));
        assertTokenError(withProof, 401, "invalid_token");
    }

    @Test
    public void dpopBoundTokenWithoutProofAtUserinfoIsRefused() {
        String accessToken = (String) tokens("openid accounts").get("access_token");
        Https.Response r = client.get(FlowClient.USERINFO, "Authorization", "DPoP " + accessToken);
        assertTrue("no proof " + r, r.status() == 401);
        assertTrue(r.toString(), Set.of("invalid_dpop_proof", "invalid_token").contains(r.json().get("error")));
        assertTrue("DPoP challenge " + r.header("WWW-Authenticate"), r.header("WWW-Authenticate").startsWith("DPoP"));
    }

    @Test
    public void userinfoProofForAnotherAccessTokenIsRefused() {
        String accessToken = (String) tokens("openid accounts").get("access_token");
        String otherToken = (String) tokens("openid accounts").get("access_token");
        Https.Response r = client.get(FlowClient.USERINFO, "Authorization", "DPoP " + accessToken,
                "DPoP", client.dpopProof("GET", client.base() + FlowClient.USERINFO, otherToken));
        assertTokenError(r, 401, "invalid_dpop_proof");
    }

    @Test
    public void userinfoProofWithAnotherKeyThanTheTokensIsRefused() {
        String accessToken = (String) tokens("openid accounts").get("access_token");
        FlowClient otherKey = new FlowClient(client.base(), issuer(), tls(), client.clientId(),
                clientKeys.get(client.clientId()), REDIRECT_URI);
        assertTokenError(otherKey.userinfo(accessToken), 401, "invalid_dpop_proof");
    }

    /** Issue 10 item 5 (FAPI 1 Baseline §6.2.1-11): the resource echoes the client's x-fapi-interaction-id. */
    @Test
    public void userinfoEchoesTheInteractionIdOrMakesOne() {
        String accessToken = (String) tokens("openid accounts").get("access_token");
        String id = UUID.randomUUID().toString();
        Https.Response echoed = client.userinfo(accessToken, "x-fapi-interaction-id", id);
        assertEquals("userinfo " + echoed, 200, echoed.status());
        assertEquals(id, echoed.header("x-fapi-interaction-id"));
        Https.Response made = client.userinfo(accessToken);
        assertEquals("userinfo " + made, 200, made.status());
        assertNotNull("an id of its own", made.header("x-fapi-interaction-id"));
        assertEquals(made.header("x-fapi-interaction-id"),
                UUID.fromString(made.header("x-fapi-interaction-id")).toString());
        assertNotEquals(id, made.header("x-fapi-interaction-id"));
    }

    @Test
    public void userinfoWithoutOpenidScopeIsRefused() {
        Map<String, Object> tokens = tokens("accounts");
        assertNull("no ID token without openid: " + tokens, tokens.get("id_token"));
        Https.Response r = client.userinfo((String) tokens.get("access_token"));
        assertTokenError(r, 403, "insufficient_scope");
    }

    // --- refresh ------------------------------------------------------------------------------

    /**
     * Issue 10 item 3: FAPI 2.0 SP §5.3.2.1, no rotation: the previous refresh token keeps working, its retry
     * succeeds, and the grant stays.
     */
    @Test
    public void underFapi2SecurityProfileThePreviousRefreshTokenKeepsWorking() {
        Map<String, Object> first = tokens("openid accounts");
        String refreshToken = (String) first.get("refresh_token");
        Https.Response r = client.refresh(refreshToken);
        assertEquals("refresh " + r, 200, r.status());
        assertNull("no new refresh token: " + r, r.json().get("refresh_token"));
        Https.Response again = client.refresh(refreshToken);
        assertEquals("the previous refresh token again " + again, 200, again.status());
        assertEquals(Boolean.TRUE, client.introspect((String) r.json().get("access_token")).get("active"));
        assertEquals(Boolean.TRUE, client.introspect((String) first.get("access_token")).get("active"));
    }

    /** Profile none: rotation with reuse detection. */
    @Test
    public void refreshRotatesTheRefreshToken() {
        FlowClient client = rotatingClient;
        Map<String, Object> first = tokens(client, "openid accounts");
        Https.Response r = client.refresh((String) first.get("refresh_token"));
        assertEquals("refresh " + r, 200, r.status());
        Map<String, Object> second = r.json();
        assertEquals("DPoP", second.get("token_type"));
        assertNotEquals(first.get("refresh_token"), second.get("refresh_token"));
        assertNotEquals(first.get("access_token"), second.get("access_token"));
        assertEquals(Boolean.TRUE, client.introspect((String) second.get("access_token")).get("active"));
        Https.Response next = client.refresh((String) second.get("refresh_token"));
        assertEquals("the rotated one works " + next, 200, next.status());
    }

    /** The replay comes right after the rotation, in the same second: still a replay (profile none). */
    @Test
    public void refreshTokenReplayRevokesTheFamily() {
        FlowClient client = rotatingClient;
        Map<String, Object> first = tokens(client, "openid accounts");
        String oldRefresh = (String) first.get("refresh_token");
        Https.Response rotated = client.refresh(oldRefresh);
        assertEquals("refresh " + rotated, 200, rotated.status());
        String newRefresh = (String) rotated.json().get("refresh_token");
        String newAccess = (String) rotated.json().get("access_token");

        assertTokenError(client.refresh(oldRefresh), 400, "invalid_grant");
        assertEquals("the access token of the rotation is revoked", Boolean.FALSE,
                client.introspect(newAccess).get("active"));
        assertEquals("the first access token is revoked", Boolean.FALSE,
                client.introspect((String) first.get("access_token")).get("active"));
        assertTokenError(client.refresh(newRefresh), 400, "invalid_grant");
    }

    @Test
    public void refreshTokenOfAnotherClientIsInvalidGrant() {
        String refreshToken = (String) tokens("openid accounts").get("refresh_token");
        assertTokenError(otherClient.refresh(refreshToken), 400, "invalid_grant");
    }

    /** RFC 7009 §2.1: revoking a refresh token revokes its grant, the access tokens with it. */
    @Test
    public void revokingTheRefreshTokenRevokesTheGrant() {
        Map<String, Object> tokens = tokens("openid accounts");
        Https.Response r = client.post(REVOKE, Https.form("token", (String) tokens.get("refresh_token"),
                "client_assertion_type", FlowClient.JWT_BEARER, "client_assertion", client.clientAssertion()));
        assertEquals("revocation " + r, 200, r.status());
        assertEquals(Boolean.FALSE, client.introspect((String) tokens.get("access_token")).get("active"));
        assertTokenError(client.refresh((String) tokens.get("refresh_token")), 400, "invalid_grant");
    }

    /** RFC 7009 §2.1: another client's refresh token is not revoked (and the answer is still 200). */
    @Test
    public void anotherClientCannotRevokeTheRefreshToken() {
        Map<String, Object> tokens = tokens("openid accounts");
        Https.Response r = otherClient.post(REVOKE, Https.form("token", (String) tokens.get("refresh_token"),
                "client_assertion_type", FlowClient.JWT_BEARER, "client_assertion", otherClient.clientAssertion()));
        assertEquals("revocation " + r, 200, r.status());
        assertEquals(Boolean.TRUE, client.introspect((String) tokens.get("access_token")).get("active"));
        Https.Response refreshed = client.refresh((String) tokens.get("refresh_token"));
        assertEquals("the owner still refreshes " + refreshed, 200, refreshed.status());
    }

    // --- discovery ----------------------------------------------------------------------------

    @Test
    public void discoveryListsTheFapi2Metadata() {
        Map<String, Object> m = https().get("/.well-known/openid-configuration").json();
        String base = "https://localhost:" + httpsPort();
        assertEquals(base + FlowClient.AUTHORIZE, m.get("authorization_endpoint"));
        assertEquals(base + FlowClient.PAR, m.get("pushed_authorization_request_endpoint"));
        assertEquals(base + FlowClient.USERINFO, m.get("userinfo_endpoint"));
        assertEquals(Boolean.TRUE, m.get("require_pushed_authorization_requests"));
        assertEquals(List.of("S256"), m.get("code_challenge_methods_supported"));
        assertEquals(Boolean.TRUE, m.get("authorization_response_iss_parameter_supported"));
        assertEquals(Set.of("ES256", "PS256"), new HashSet<>((List<?>) m.get("dpop_signing_alg_values_supported")));
        assertTrue(((List<?>) m.get("grant_types_supported")).containsAll(List.of("authorization_code", "refresh_token")));
        Map<?, ?> aliases = (Map<?, ?>) m.get("mtls_endpoint_aliases");
        assertNotNull("mtls_endpoint_aliases", aliases);
        assertEquals(base + TOKEN, aliases.get("token_endpoint"));
        assertEquals(base + FlowClient.PAR, aliases.get("pushed_authorization_request_endpoint"));
    }

    /**
     * Issue 9: the fapi2 profile governs the client credentials grant too (FAPI 2.0 SP §5.3.2.1): no bearer
     * token for a fapi2 client, a DPoP-bound one with a proof; introspection shows it bound.
     */
    @Test
    public void fapi2ClientCredentialsTokensAreSenderConstrained() throws Exception {
        FlowClient cc = register(new Shell(sessionFactory), "FAPI cc", "client_credentials");
        Https.Response unbound = cc.token(false, "grant_type", "client_credentials", "scope", "accounts");
        assertEquals("unbound token " + unbound, 400, unbound.status());
        assertEquals("invalid_request", unbound.json().get("error"));
        assertTrue(unbound.body(), unbound.body().contains("sender-constrained"));
        Https.Response bound = cc.token(true, "grant_type", "client_credentials", "scope", "accounts");
        assertEquals("bound token " + bound, 200, bound.status());
        assertEquals("DPoP", bound.json().get("token_type"));
        Map<String, Object> active = cc.introspect((String) bound.json().get("access_token"));
        assertEquals(Boolean.TRUE, active.get("active"));
        assertNotNull(active.get("cnf"));
    }

    /**
     * Issue 10 item 11: RFC 9701. Asked with {@code Accept: application/token-introspection+jwt}, introspection
     * answers a JWT of that type, signed with a key of the node's JWKS, for the calling client; asked without,
     * plain JSON as before.
     */
    @Test
    public void introspectionAnswersASignedJwtWhenAskedVerifiedWithTheJwks() throws Exception {
        String accessToken = (String) tokens("openid accounts").get("access_token");
        String form = Https.form("token", accessToken, "client_assertion_type", FlowClient.JWT_BEARER,
                "client_assertion", otherClient.clientAssertion());
        Https.Response r = otherClient.post(FlowClient.INTROSPECT, form, "Accept", "application/token-introspection+jwt");
        assertEquals("introspection " + r, 200, r.status());
        assertTrue(r.header("Content-Type"), r.header("Content-Type").startsWith("application/token-introspection+jwt"));
        SignedJWT jwt = SignedJWT.parse(r.body());
        assertEquals("token-introspection+jwt", jwt.getHeader().getType().getType());
        assertEquals(JWSAlgorithm.PS256, jwt.getHeader().getAlgorithm());
        JWKSet jwks = JWKSet.parse(https().get("/oauth2/jwks").body());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertNotNull("kid not in /oauth2/jwks", key);
        assertTrue("signature verifies with the JWKS key", jwt.verify(new RSASSAVerifier(key)));
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertEquals(issuer(), c.getIssuer());
        assertEquals(List.of(otherClient.clientId()), c.getAudience());
        assertNotNull(c.getIssueTime());
        Map<String, Object> introspection = c.getJSONObjectClaim("token_introspection");
        assertEquals(Boolean.TRUE, introspection.get("active"));
        assertEquals(client.clientId(), introspection.get("client_id"));

        Https.Response plain = otherClient.post(FlowClient.INTROSPECT, Https.form("token", accessToken,
                "client_assertion_type", FlowClient.JWT_BEARER, "client_assertion", otherClient.clientAssertion()));
        assertTrue(plain.header("Content-Type"), plain.header("Content-Type").startsWith("application/json"));
        assertEquals(Boolean.TRUE, plain.json().get("active"));
        Map<String, Object> discovery = https().get("/.well-known/openid-configuration").json();
        assertEquals(List.of("PS256"), discovery.get("introspection_signing_alg_values_supported"));
    }

    // --- helpers ------------------------------------------------------------------------------

    private FlowClient register(Shell shell, String name) throws Exception {
        return register(shell, name, "authorization_code,refresh_token");
    }

    private FlowClient register(Shell shell, String name, String grantTypes) throws Exception {
        return register(shell, name, grantTypes, null);
    }

    private FlowClient register(Shell shell, String name, String grantTypes, String profile) throws Exception {
        RSAKey key = FlowClient.newClientKey();
        Path jwks = Files.createTempFile("flow-it-jwks", ".json");
        Files.writeString(jwks, FlowClient.publicJwks(key));
        Shell.Result created = shell.execute("obkm:client-create --name \"" + name + "\""
                + " --grant-types " + grantTypes + " --redirect-uri " + REDIRECT_URI
                + " --redirect-uri " + OTHER_REDIRECT_URI + " --auth-method private_key_jwt --jwks-file " + jwks
                + " --scopes accounts,payments" + (profile == null ? "" : " --profile " + profile) + " --json");
        Files.delete(jwks);
        assertNull("client-create failed: " + created, created.failure());
        String out = created.output().trim();
        Map<String, Object> json = Https.Response.parseJson(out.substring(out.lastIndexOf('\n') + 1));
        String clientId = (String) json.get("client_id");
        clientKeys.put(clientId, key);
        return new FlowClient("https://localhost:" + httpsPort(), issuer(), tls(), clientId, key, REDIRECT_URI);
    }

    private static SSLContext tls() {
        try {
            return Tls.trusting(Tls.nodeCertificate(Path.of(System.getProperty("karaf.etc"), "obkm-tls.p12")));
        } catch (Exception e) {
            throw new AssertionError("cannot read the node's certificate", e);
        }
    }

    private static URI uri(String path) {
        return URI.create("https://localhost:" + httpsPort() + path);
    }

    private static String pushWithoutDpop(FlowClient.Authorization a) {
        Https.Response r = client.par(a, b -> { }, false);
        assertEquals("PAR " + r, 201, r.status());
        return (String) r.json().get("request_uri");
    }

    /** PAR, then the authorization endpoint; returns the login page. */
    private static Https.Response loginPage(Browser b, FlowClient.Authorization a) {
        return loginPageOf(b, client.push(a));
    }

    private static Https.Response loginPageOf(Browser b, String requestUri) {
        return loginPageOf(client, b, requestUri);
    }

    private static Https.Response loginPageOf(FlowClient c, Browser b, String requestUri) {
        Https.Response authorize = b.get(c.authorizeUri(requestUri));
        assertEquals("authorization endpoint " + authorize, 303, authorize.status());
        Https.Response login = b.get(authorize.location());
        assertEquals("login page " + login, 200, login.status());
        assertEquals(FlowClient.LOGIN, login.uri().getPath());
        assertNotNull("hidden flow field: " + login, Html.hidden(login.body(), "flow"));
        assertNotNull("hidden csrf field: " + login, Html.hidden(login.body(), "csrf"));
        return login;
    }

    private static Https.Response consentPage(Browser b, FlowClient.Authorization a) {
        return consentPageOf(b, loginPage(b, a));
    }

    private static Https.Response consentPageOf(Browser b, Https.Response login) {
        Https.Response signedIn = b.signIn(login, username, PASSWORD);
        assertEquals("sign-in " + signedIn, 303, signedIn.status());
        Https.Response consent = b.get(signedIn.location());
        assertEquals("consent page " + consent, 200, consent.status());
        assertEquals(FlowClient.CONSENT, consent.uri().getPath());
        return consent;
    }

    /** Through login and consent to the redirect with the code; returns its query parameters. */
    private static Map<String, String> approve(Browser b, FlowClient.Authorization a) {
        return approved(b, consentPage(b, a), a);
    }

    private static Map<String, String> approveFrom(Browser b, String requestUri, FlowClient.Authorization a) {
        return approved(b, consentPageOf(b, loginPageOf(b, requestUri)), a);
    }

    private static Map<String, String> approved(Browser b, Https.Response consent,
            FlowClient.Authorization a) {
        Https.Response r = b.decide(consent, "approve");
        assertEquals("approve " + r, 303, r.status());
        assertTrue(r.location().toString(), r.location().toString().startsWith(a.redirectUri() + "?"));
        Map<String, String> q = Https.query(r.location());
        assertNotNull("code in " + r.location(), q.get("code"));
        return q;
    }

    /** A complete flow and the token response JSON. */
    private static Map<String, Object> tokens(String scope) {
        return tokens(client, scope);
    }

    private static Map<String, Object> tokens(FlowClient c, String scope) {
        FlowClient.Authorization a = c.newAuthorization(scope);
        Browser b = c.browser();
        Https.Response r = c.redeem(approved(b, consentPageOf(b, loginPageOf(c, b, c.push(a))), a).get("code"), a);
        assertEquals("token response " + r, 200, r.status());
        return r.json();
    }

    private static void assertStillAtLogin(Browser b, Https.Response login) {
        Https.Response again = b.get(login.uri());
        assertEquals("the flow is still at the login page " + again, 200, again.status());
        assertEquals(Html.hidden(login.body(), "csrf"), Html.hidden(again.body(), "csrf"));
        assertNotNull("still the login form: " + again, Html.hidden(again.body(), "username"));
        Https.Response signedIn = b.signIn(again, username, PASSWORD);
        assertEquals("and the rightful browser can still sign in " + signedIn, 303, signedIn.status());
        assertEquals(FlowClient.CONSENT, signedIn.location().getPath());
    }

    /** The authorization endpoint's and the pages' error page: 400, HTML, #error, not frameable. */
    static void assertErrorPage(Https.Response r) {
        assertEquals("error page expected: " + r, 400, r.status());
        assertTrue("HTML: " + r.header("Content-Type"), String.valueOf(r.header("Content-Type")).startsWith("text/html"));
        assertNotNull("#error in " + r, Html.textById(r.body(), "error"));
        assertEquals("DENY", r.header("X-Frame-Options"));
        assertNull("an error page redirects nowhere", r.header("Location"));
    }

    /** An RFC 6749 §5.2 error as the flow tests check it: status, code and 401 challenge, not the content type. */
    private static void assertTokenError(Https.Response r, int status, String error) {
        assertTrue("server error " + r, r.status() < 500);
        assertEquals("status of " + r, status, r.status());
        assertEquals("error code of " + r, error, r.json().get("error"));
        if (status == 401) {
            assertNotNull("401 without WWW-Authenticate: " + r, r.header("WWW-Authenticate"));
        }
    }
}
