package org.obkm.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.obkm.oauth.internal.ParFixture.CLIENT;
import static org.obkm.oauth.internal.ParFixture.claims;
import static org.obkm.oauth.internal.ParFixture.form;
import static org.obkm.oauth.internal.ParFixture.ps256;
import static org.obkm.oauth.internal.ParFixture.refused;
import static org.obkm.oauth.internal.ParFixture.request;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The authorization request parameter rules (RFC 6749, RFC 7636, OIDC Core, FAPI 2.0 Security Profile),
 * each a named test, sent in a request object by a fapi2 client unless the test says otherwise.
 */
class AuthorizationParameterTest {

    private final AuthorizationRequestValidator fapi2 = ParFixture.validator(Map.of());
    private final AuthorizationRequestValidator fapi1 = ParFixture.validator(Map.of(), "fapi1-advanced");

    private PushedRequest accepted(AuthorizationRequestValidator v, Consumer<JWTClaimsSet.Builder> change)
            throws OAuthException {
        return v.validate(CLIENT, request(ps256(claims(change))));
    }

    private void rejected(String code, Consumer<JWTClaimsSet.Builder> change, String descriptionPart) {
        refused(code, descriptionPart, () -> fapi2.validate(CLIENT, request(ps256(claims(change)))));
    }

    @Test
    void rejectsMissingRedirectUri() {
        rejected("invalid_request", b -> b.claim("redirect_uri", null), "redirect_uri is required");
    }

    @Test
    void rejectsUnregisteredRedirectUri() {
        rejected("invalid_request", b -> b.claim("redirect_uri", "https://attacker.example/cb"), "not registered");
    }

    @Test
    void rejectsRedirectUriThatDiffersOnlyByATrailingSlash() {
        rejected("invalid_request", b -> b.claim("redirect_uri", ParFixture.REDIRECT_URI + "/"), "not registered");
    }

    @Test
    void rejectsRedirectUriThatDiffersOnlyInCase() {
        rejected("invalid_request", b -> b.claim("redirect_uri", "https://TPP.example/cb"), "not registered");
    }

    @Test
    void acceptsAnyRegisteredRedirectUri() throws Exception {
        assertEquals("https://tpp.example/other",
                accepted(fapi2, b -> b.claim("redirect_uri", "https://tpp.example/other")).redirectUri());
    }

    @Test
    void rejectsMissingResponseType() {
        rejected("invalid_request", b -> b.claim("response_type", null), "response_type is required");
    }

    @Test
    void rejectsCodeIdTokenForFapi2() {
        rejected("unauthorized_client", b -> b.claim("response_type", "code id_token"), "FAPI 1 Advanced");
    }

    @Test
    void acceptsCodeIdTokenForFapi1Advanced() throws Exception {
        PushedRequest r = accepted(fapi1, b -> b.claim("response_type", "code id_token"));
        assertEquals("code id_token", r.responseType());
        assertEquals("fapi1-advanced", r.profile());
    }

    @Test
    void acceptsCodeForFapi1Advanced() throws Exception {
        assertEquals("code", accepted(fapi1, b -> { }).responseType());
    }

    @Test
    void rejectsCodeIdTokenWithoutNonceForFapi1Advanced() {
        refused("invalid_request", "nonce", () -> fapi1.validate(CLIENT,
                request(ps256(claims(b -> b.claim("response_type", "code id_token").claim("nonce", null))))));
    }

    @Test
    void rejectsCodeIdTokenWithoutOpenidScopeForFapi1Advanced() {
        refused("invalid_request", "openid", () -> fapi1.validate(CLIENT,
                request(ps256(claims(b -> b.claim("response_type", "code id_token").claim("scope", "accounts"))))));
    }

    @Test
    void rejectsImplicitResponseType() {
        rejected("unsupported_response_type", b -> b.claim("response_type", "token"), "not supported");
    }

    @Test
    void rejectsResponseModeJwt() {
        rejected("invalid_request", b -> b.claim("response_mode", "jwt"), "response_mode");
    }

    @Test
    void acceptsResponseModeQueryForCode() throws Exception {
        accepted(fapi2, b -> b.claim("response_mode", "query"));
    }

    @Test
    void rejectsMissingCodeChallenge() {
        rejected("invalid_request", b -> b.claim("code_challenge", null), "code_challenge is required");
    }

    @Test
    void rejectsPlainPkce() {
        rejected("invalid_request", b -> b.claim("code_challenge_method", "plain"), "S256");
    }

    @Test
    void rejectsCodeChallengeWithoutMethodWhichMeansPlain() {
        rejected("invalid_request", b -> b.claim("code_challenge_method", null), "default plain");
    }

    @Test
    void rejectsCodeChallengeOfWrongLength() {
        rejected("invalid_request", b -> b.claim("code_challenge", ParFixture.CHALLENGE + "A"), "43");
    }

    @Test
    void rejectsCodeChallengeOutsideTheBase64UrlAlphabet() {
        rejected("invalid_request", b -> b.claim("code_challenge", ParFixture.CHALLENGE.substring(1) + "+"), "base64url");
    }

    @Test
    void rejectsUnknownScope() {
        rejected("invalid_scope", b -> b.claim("scope", "openid accounts admin"), "'admin'");
    }

    @Test
    void rejectsEmptyScopeToken() {
        rejected("invalid_scope", b -> b.claim("scope", "openid  accounts"), "space-separated");
    }

    @Test
    void acceptsOpenidWithoutRegistration() throws Exception {
        assertEquals("openid", accepted(fapi2, b -> b.claim("scope", "openid")).scope());
    }

    @Test
    void acceptsRequestWithoutScope() throws Exception {
        assertEquals(null, accepted(fapi2, b -> b.claim("scope", null)).scope());
    }

    @Test
    void acceptsKnownClaimsAndKeepsThem() throws Exception {
        Map<String, Object> claims = Map.of("id_token", Map.of(
                "acr", Map.of("essential", true, "values", List.of("urn:openbanking:psd2:sca")),
                "openbanking_intent_id", Map.of("value", "i-1", "essential", true)));
        String kept = accepted(fapi2, b -> b.claim("claims", claims)).claims();
        assertEquals(claims, JSONObjectUtils.parse(kept));
    }

    @Test
    void rejectsUnknownClaim() {
        rejected("invalid_request", b -> b.claim("claims", Map.of("userinfo", Map.of("salary", Map.of()))), "salary");
    }

    @Test
    void rejectsClaimsRequestWithUnknownMember() {
        rejected("invalid_request", b -> b.claim("claims", Map.of("access_token", Map.of())), "access_token");
    }

    @Test
    void rejectsMalformedClaimsRequest() {
        rejected("invalid_request", b -> b.claim("claims", "not json"), "claims");
    }

    @Test
    void rejectsStateLongerThan512Characters() {
        rejected("invalid_request", b -> b.claim("state", "s".repeat(513)), "state");
    }

    @Test
    void acceptsStateOf512Characters() throws Exception {
        accepted(fapi2, b -> b.claim("state", "s".repeat(512)));
    }

    @Test
    void rejectsNonceLongerThan512Characters() {
        rejected("invalid_request", b -> b.claim("nonce", "n".repeat(513)), "nonce");
    }

    @Test
    void rejectsStateWithControlCharacters() {
        rejected("invalid_request", b -> b.claim("state", "a\nb"), "printable ASCII");
    }

    @Test
    void rejectsClientNotRegisteredForTheAuthorizationCodeGrant() {
        refused("unauthorized_client", "authorization_code", () -> fapi2.validate(
                ParFixture.client(ParFixture.CLIENT_ID, Set.of("client_credentials")), request(ps256(claims().build()))));
    }

    @Test
    void rejectsRepeatedPlainParameter() {
        AuthorizationRequestValidator none = ParFixture.validator(Map.of(), "none");
        com.nimbusds.oauth2.sdk.http.HTTPRequest r = form(ParFixture.plainParameters());
        r.setBody(r.getBody() + "&state=second");
        refused("invalid_request", "repeated", () -> none.validate(CLIENT, r));
    }

    @Test
    void quotesNoUnsafeCharacterFromTheRequestInTheErrorDescription() {
        // RFC 6749 §5.2 forbids '"' and '\' in error_description; echoing them would be a 500.
        rejected("invalid_scope", b -> b.claim("scope", "openid \"x\\\u00e9"), "'?x??'");
    }
}
