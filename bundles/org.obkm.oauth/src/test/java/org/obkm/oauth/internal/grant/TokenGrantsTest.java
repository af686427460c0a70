package org.obkm.oauth.internal.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.api.token.Grant;
import org.obkm.oauth.internal.CpuGate;
import org.obkm.oauth.internal.InMemoryGrantStore;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.TestDpop;
import org.obkm.oauth.internal.TestKeys;
import org.obkm.oauth.internal.TestPki;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.policy.ClientProfiles;
import org.obkm.oauth.internal.request.PushedRequest;
import org.obkm.oauth.internal.sender.SenderBinding;
import org.obkm.oauth.internal.token.AccessTokenIssuer;
import org.obkm.oauth.internal.token.AuthorizationCodes;
import org.obkm.oauth.internal.token.IdTokenIssuer;
import org.obkm.oauth.internal.token.UserTokens;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * The authorization code and refresh token grants over in-memory stores: a code redeems once with its
 * verifier and redirect URI; a refresh token rotates under a rotating profile (a replayed one revokes the
 * whole grant) and keeps working under the others.
 */
class TokenGrantsTest {

    private static final String REDIRECT = "https://tpp.example/cb";
    private static final CodeVerifier VERIFIER = new CodeVerifier();

    private final ServerSettings settings = TestSettings.defaults();
    private final InMemorySharedState state = new InMemorySharedState();
    private final InMemoryGrantStore grants = new InMemoryGrantStore();
    private final ClientProfiles profiles = TestSettings.profiles(ClientProfiles.NONE);
    private final AuthorizationCodes codes = new AuthorizationCodes(state, grants, settings);
    private final UserTokens tokens = new UserTokens(new AccessTokenIssuer(TestKeys.signing(), settings),
            new IdTokenIssuer(TestKeys.signing(), settings), grants, CpuGate.ungated());
    private final SenderBinding binding = new SenderBinding(TestDpop.proofs(state));
    private final AuthorizationCodeGrant codeGrant = new AuthorizationCodeGrant(codes, binding, tokens, profiles, settings);
    private final RefreshTokenGrant refreshGrant = new RefreshTokenGrant(grants, binding, tokens, profiles, settings);
    private final Client client = client("tpp-1");

    /** A client certificate on every request, so the FAPI profiles' sender constraint (RFC 8705) is met. */
    private static final X509Certificate CERT = TestPki.selfSigned("CN=tpp-1", TestPki.ec()).cert();

    private Client client(String id) {
        return client(id, ClientProfiles.NONE);
    }

    private Client client(String id, String profile) {
        Client c = new Client(id, "TPP", Set.of("authorization_code", "refresh_token"), Set.of("openid", "accounts"),
                TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, "{\"keys\":[]}", null, List.of(REDIRECT), null,
                Instant.now());
        return c.withPolicy(profiles.resolve(c, profile, null, null));
    }

    private String code(String grantId) {
        Instant now = Instant.now();
        grants.createGrant(new Grant(grantId, "tpp-1", "user-1", "openid accounts", "{}", now, now.plusSeconds(3600),
                null));
        PushedRequest r = new PushedRequest("tpp-1", REDIRECT, "code", "openid accounts", "st", "n-1",
                CodeChallenge.compute(CodeChallengeMethod.S256, VERIFIER).getValue(), "S256", null, "none", null);
        return codes.issue(grantId, r, "user-1", now.getEpochSecond(), "urn:openbanking:psd2:sca");
    }

    private static HTTPRequest form(String... nameValues) throws com.nimbusds.oauth2.sdk.ParseException {
        HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create("https://as.bank.example/oauth2/token"));
        r.setContentType("application/x-www-form-urlencoded");
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            params.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        r.setBody(URLUtils.serializeParameters(params));
        r.setClientX509Certificate(CERT);
        return r;
    }

    private Map<String, Object> redeem(String code) throws Exception {
        return redeem(client, code);
    }

    private Map<String, Object> redeem(Client client, String code) throws Exception {
        return JSONObjectUtils.parse(codeGrant.handle(client, form("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER.getValue())));
    }

    private Map<String, Object> refresh(Client c, String refreshToken, String... extra) throws Exception {
        String[] params = new String[4 + extra.length];
        params[0] = "grant_type";
        params[1] = "refresh_token";
        params[2] = "refresh_token";
        params[3] = refreshToken;
        System.arraycopy(extra, 0, params, 4, extra.length);
        return JSONObjectUtils.parse(refreshGrant.handle(c, form(params)));
    }

    private static String refused(org.junit.jupiter.api.function.Executable call) {
        OAuthException e = assertThrows(OAuthException.class, call);
        return e.error().getCode();
    }

    private final org.obkm.oauth.internal.InMemoryConsents consents = new org.obkm.oauth.internal.InMemoryConsents();
    private final org.obkm.oauth.internal.consent.ConsentBinding consentBinding =
            new org.obkm.oauth.internal.consent.ConsentBinding(consents, java.time.Clock.systemUTC());

    /** A code of an authorization of the account-access consent {@code consentId}, authorised by user-1. */
    private String consentCode(String grantId, String consentId) throws Exception {
        consents.put(consentId, org.obkm.api.consent.ConsentType.ACCOUNT_ACCESS, "tpp-1",
                org.obkm.oauth.internal.InMemoryConsents.ACCOUNT_DATA, null);
        consents.authorise(consentId, "user-1", List.of("22289"), "psu:user-1");
        Instant now = Instant.now();
        grants.createGrant(new Grant(grantId, "tpp-1", "user-1", "openid accounts",
                "{\"openbanking_intent_id\":\"" + consentId + "\"}", now, now.plusSeconds(3600), null));
        PushedRequest r = new PushedRequest("tpp-1", REDIRECT, "code", "openid accounts", "st", "n-1",
                CodeChallenge.compute(CodeChallengeMethod.S256, VERIFIER).getValue(), "S256",
                "{\"id_token\":{\"openbanking_intent_id\":{\"value\":\"" + consentId + "\",\"essential\":true}}}",
                "none", null);
        return codes.issue(grantId, r, "user-1", now.getEpochSecond(), "urn:openbanking:psd2:sca");
    }

    private Map<String, Object> redeemBound(String code) throws Exception {
        return JSONObjectUtils.parse(new AuthorizationCodeGrant(codes, binding, tokens, profiles, settings,
                consentBinding).handle(client, form("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER.getValue())));
    }

    /** A code of an RFC 9396 authorization (no claims request) of the account-access consent {@code consentId}. */
    private String richCode(String grantId, String consentId) throws Exception {
        consents.put(consentId, org.obkm.api.consent.ConsentType.ACCOUNT_ACCESS, "tpp-1",
                org.obkm.oauth.internal.InMemoryConsents.ACCOUNT_DATA, null);
        consents.authorise(consentId, "user-1", List.of("22289"), "psu:user-1");
        String details = "[{\"type\":\"account_information\",\"consentId\":\"" + consentId + "\"}]";
        Instant now = Instant.now();
        grants.createGrant(new Grant(grantId, "tpp-1", "user-1", "openid accounts",
                JSONObjectUtils.toJSONString(Map.of("openbanking_intent_id", consentId, "authorization_details", details)),
                now, now.plusSeconds(3600), null));
        PushedRequest r = new PushedRequest("tpp-1", REDIRECT, "code", "openid accounts", "st", "n-1",
                CodeChallenge.compute(CodeChallengeMethod.S256, VERIFIER).getValue(), "S256", null, "none", null, null,
                details);
        return codes.issue(grantId, r, "user-1", now.getEpochSecond(), "urn:openbanking:psd2:sca");
    }

    @Test
    void richAuthorizationTokensCarryTheDetailsWithTheSelectedAccountsAndKeepThemOnRefresh() throws Exception {
        Map<String, Object> r = redeemBound(richCode("gr1", "consent-r1"));
        Map<?, ?> detail = (Map<?, ?>) ((List<?>) r.get("authorization_details")).get(0);
        assertEquals("account_information", detail.get("type"));
        assertEquals("consent-r1", detail.get("consentId"));
        assertEquals("Authorised", detail.get("status"));
        assertEquals(List.of("22289"), detail.get("accounts"));
        com.nimbusds.jwt.JWTClaimsSet at = com.nimbusds.jwt.SignedJWT.parse((String) r.get("access_token"))
                .getJWTClaimsSet();
        assertEquals("consent-r1", at.getStringClaim("openbanking_intent_id"), "bound to the consent it references");
        assertEquals(r.get("authorization_details"), at.getClaim("authorization_details"));
        RefreshTokenGrant bound = new RefreshTokenGrant(grants, binding, tokens, profiles, settings, consentBinding);
        Map<String, Object> refreshed = JSONObjectUtils.parse(bound.handle(client, form("grant_type", "refresh_token",
                "refresh_token", (String) r.get("refresh_token"))));
        assertEquals(r.get("authorization_details"), refreshed.get("authorization_details"));
    }

    @Test
    void tokensOfAConsentCarryOpenbankingIntentIdInTheIdTokenAndAccessToken() throws Exception {
        Map<String, Object> r = redeemBound(consentCode("gc1", "consent-1"));
        assertEquals("consent-1", com.nimbusds.jwt.SignedJWT.parse((String) r.get("id_token")).getJWTClaimsSet()
                .getStringClaim("openbanking_intent_id"));
        assertEquals("consent-1", com.nimbusds.jwt.SignedJWT.parse((String) r.get("access_token")).getJWTClaimsSet()
                .getStringClaim("openbanking_intent_id"));
    }

    @Test
    void codeOfAConsentRevokedBeforeRedemptionIsRefused() throws Exception {
        String code = consentCode("gc2", "consent-2");
        consents.delete("consent-2", "client:tpp-1");
        assertEquals("invalid_grant", refused(() -> redeemBound(code)));
    }

    @Test
    void refreshTokenOfARevokedConsentIsRefused() throws Exception {
        Map<String, Object> r = redeemBound(consentCode("gc3", "consent-3"));
        RefreshTokenGrant bound = new RefreshTokenGrant(grants, binding, tokens, profiles, settings, consentBinding);
        Map<String, Object> refreshed = JSONObjectUtils.parse(bound.handle(client, form("grant_type", "refresh_token",
                "refresh_token", (String) r.get("refresh_token"))));
        assertEquals("consent-3", com.nimbusds.jwt.SignedJWT.parse((String) refreshed.get("access_token"))
                .getJWTClaimsSet().getStringClaim("openbanking_intent_id"), "a refreshed token stays bound");
        consents.transition("consent-3", org.obkm.api.consent.ConsentStatus.AUTHORISED,
                org.obkm.api.consent.ConsentStatus.REVOKED, "psu:user-1", "withdrawn at the bank");
        assertEquals("invalid_grant", refused(() -> bound.handle(client, form("grant_type", "refresh_token",
                "refresh_token", (String) r.get("refresh_token")))));
    }

    @Test
    void aCodeRedeemsOnceForTokensAndAnIdToken() throws Exception {
        String code = code("g1");
        Map<String, Object> r = redeem(code);
        assertNotNull(r.get("access_token"));
        assertNotNull(r.get("refresh_token"));
        assertNotNull(r.get("id_token"), "openid was granted");
        assertEquals("Bearer", r.get("token_type"));
        assertEquals("invalid_grant", refused(() -> redeem(code)));
        assertTrue(grants.isGrantRevoked("g1"), "a second use revokes what the code gave (RFC 6749 §4.1.2)");
    }

    @Test
    void aCodeNeedsItsVerifierAndItsRedirectUri() throws Exception {
        String code = code("g2");
        assertEquals("invalid_grant", refused(() -> codeGrant.handle(client, form("grant_type", "authorization_code",
                "code", code, "redirect_uri", REDIRECT, "code_verifier", new CodeVerifier().getValue()))));
        String other = code("g3");
        assertEquals("invalid_grant", refused(() -> codeGrant.handle(client, form("grant_type", "authorization_code",
                "code", other, "redirect_uri", "https://tpp.example/other", "code_verifier", VERIFIER.getValue()))));
        String third = code("g4");
        assertEquals("invalid_grant", refused(() -> codeGrant.handle(client(("tpp-2")), form("grant_type",
                "authorization_code", "code", third, "redirect_uri", REDIRECT, "code_verifier", VERIFIER.getValue()))));
    }

    @Test
    void aRefreshTokenRotatesAndAReplayRevokesTheGrant() throws Exception {
        String first = (String) redeem(code("g5")).get("refresh_token");
        String second = (String) refresh(client, first).get("refresh_token");
        assertNotEquals(first, second);
        assertEquals("invalid_grant", refused(() -> refresh(client, first)));
        assertTrue(grants.isGrantRevoked("g5"));
        assertEquals("invalid_grant", refused(() -> refresh(client, second)), "the whole grant is gone");
    }

    @Test
    void aRefreshTokenIsTheClientsOwnAndItsScopeOnlyNarrows() throws Exception {
        String rt = (String) redeem(code("g6")).get("refresh_token");
        assertEquals("invalid_grant", refused(() -> refresh(client("tpp-2"), rt)));
        assertEquals("invalid_scope", refused(() -> refresh(client, rt, "scope", "openid accounts payments")));
        Map<String, Object> narrowed = refresh(client, rt, "scope", "accounts");
        assertEquals("accounts", narrowed.get("scope"));
    }

    /** Issue 10 item 3: FAPI 2.0 SP §5.3.2.1, no rotation; the previous refresh token keeps working. */
    @Test
    void underFapi2SecurityProfileThePreviousRefreshTokenKeepsWorking() throws Exception {
        keepsWorking(ClientProfiles.FAPI2_SECURITY_PROFILE, "g7");
    }

    @Test
    void underFapi2MessageSigningThePreviousRefreshTokenKeepsWorking() throws Exception {
        keepsWorking(ClientProfiles.FAPI2_MESSAGE_SIGNING, "g8");
    }

    @Test
    void underFapi1AdvancedThePreviousRefreshTokenKeepsWorking() throws Exception {
        keepsWorking("fapi1-advanced", "g9");
    }

    /** Rotation with reuse detection stays the choice of {@code none}: the previous token is a replay. */
    @Test
    void underNoneThePreviousRefreshTokenIsAReplayThatRevokesTheGrant() throws Exception {
        String first = (String) redeem(code("g10")).get("refresh_token");
        assertNotNull(refresh(client, first).get("refresh_token"), "rotated: a new refresh token");
        assertEquals("invalid_grant", refused(() -> refresh(client, first)));
        assertTrue(grants.isGrantRevoked("g10"));
    }

    @Test
    void rotationIsConfigurablePerProfile() throws Exception {
        ClientProfiles configured = new ClientProfiles(new TestSettings(),
                Map.of("profile.fapi2-security-profile.refresh-rotation", "true", "profile.none.refresh-rotation", "false"));
        assertTrue(configured.named(ClientProfiles.FAPI2_SECURITY_PROFILE).orElseThrow().settings().refreshRotation());
        assertTrue(!configured.named(ClientProfiles.NONE).orElseThrow().settings().refreshRotation());
        RefreshTokenGrant rotating = new RefreshTokenGrant(grants, binding, tokens, configured, settings);
        Client c = client("tpp-1", ClientProfiles.FAPI2_SECURITY_PROFILE);
        String first = (String) redeem(c, code("g11")).get("refresh_token");
        assertNotNull(JSONObjectUtils.parse(rotating.handle(c, form("grant_type", "refresh_token", "refresh_token",
                first))).get("refresh_token"));
        assertEquals("invalid_grant", refused(() -> rotating.handle(c, form("grant_type", "refresh_token",
                "refresh_token", first))));
    }

    /** A revoked grant ends a non-rotating refresh token too, and it stays the client's own. */
    @Test
    void aNonRotatingRefreshTokenEndsWithItsGrantAndIsTheClientsOwn() throws Exception {
        Client c = client("tpp-1", ClientProfiles.FAPI2_SECURITY_PROFILE);
        String rt = (String) redeem(c, code("g12")).get("refresh_token");
        assertEquals("invalid_grant", refused(() -> refresh(client("tpp-2", ClientProfiles.FAPI2_SECURITY_PROFILE), rt)));
        grants.revokeGrant("g12", Instant.now());
        assertEquals("invalid_grant", refused(() -> refresh(c, rt)));
    }

    private void keepsWorking(String profile, String grantId) throws Exception {
        Client c = client("tpp-1", profile);
        String rt = (String) redeem(c, code(grantId)).get("refresh_token");
        Map<String, Object> first = refresh(c, rt);
        assertNotNull(first.get("access_token"));
        assertEquals(null, first.get("refresh_token"), "no new refresh token: the one the client has stays valid");
        Map<String, Object> again = refresh(c, rt);
        assertNotNull(again.get("access_token"), "a retry with the previous refresh token succeeds");
        assertNotEquals(first.get("access_token"), again.get("access_token"));
        assertTrue(!grants.isGrantRevoked(grantId));
    }
}
