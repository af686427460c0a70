package org.obkm.oauth.internal.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
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
 * verifier and redirect URI; a refresh token rotates, and a replayed one revokes the whole grant.
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

    private Client client(String id) {
        Client c = new Client(id, "TPP", Set.of("authorization_code", "refresh_token"), Set.of("openid", "accounts"),
                TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, "{\"keys\":[]}", null, List.of(REDIRECT), null,
                Instant.now());
        return c.withPolicy(profiles.resolve(c, ClientProfiles.NONE, null, null));
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
        return r;
    }

    private Map<String, Object> redeem(String code) throws Exception {
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
}
