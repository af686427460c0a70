package org.obkm.oauth.internal.request;

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
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ParFixture;
import org.obkm.oauth.internal.policy.PolicyCheck;
import org.obkm.oauth.internal.policy.PolicyChecks;
import org.obkm.oauth.internal.policy.PolicyContext;
import org.obkm.oauth.internal.policy.PolicyEvent;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The authorization request parameter rules (RFC 6749, RFC 7636, OIDC Core, FAPI 2.0 Security Profile),
 * each a named test, sent in a request object by a fapi2 client unless the test says otherwise.
 */
public class AuthorizationParameterTest {

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
    public void rejectsMissingRedirectUri() {
        rejected("invalid_request", b -> b.claim("redirect_uri", null), "redirect_uri is required");
    }

    @Test
    public void rejectsUnregisteredRedirectUri() {
        rejected("invalid_request", b -> b.claim("redirect_uri", "https://attacker.example/cb"), "not registered");
    }

    @Test
    public void rejectsRedirectUriThatDiffersOnlyByATrailingSlash() {
        rejected("invalid_request", b -> b.claim("redirect_uri", ParFixture.REDIRECT_URI + "/"), "not registered");
    }

    @Test
    public void rejectsRedirectUriThatDiffersOnlyInCase() {
        rejected("invalid_request", b -> b.claim("redirect_uri", "https://TPP.example/cb"), "not registered");
    }

    @Test
    public void acceptsAnyRegisteredRedirectUri() throws Exception {
        assertEquals("https://tpp.example/other",
                accepted(fapi2, b -> b.claim("redirect_uri", "https://tpp.example/other")).redirectUri());
    }

    @Test
    public void rejectsMissingResponseType() {
        rejected("invalid_request", b -> b.claim("response_type", null), "response_type is required");
    }

    @Test
    public void rejectsCodeIdTokenForFapi2() {
        rejected("unauthorized_client", b -> b.claim("response_type", "code id_token"), "FAPI 1 Advanced");
    }

    @Test
    public void acceptsCodeIdTokenForFapi1Advanced() throws Exception {
        PushedRequest r = accepted(fapi1, b -> b.claim("response_type", "code id_token"));
        assertEquals("code id_token", r.responseType());
        assertEquals("fapi1-advanced", r.profile());
    }

    /** Issue 10 item 6: FAPI 1 Advanced §5.2.2 2, plain code only with JARM. */
    @Test
    public void refusesCodeWithoutJarmForFapi1Advanced() {
        refused("invalid_request", "response_mode jwt", () -> fapi1.validate(CLIENT, request(ps256(claims(b -> { })))));
        refused("invalid_request", "response_mode jwt", () -> fapi1.validate(CLIENT,
                request(ps256(claims(b -> b.claim("response_mode", "query"))))));
    }

    /** Only the check: the JARM modes themselves are accepted by request validation once JARM is implemented. */
    @Test
    public void letsCodeWithAJarmResponseModeThroughTheJarmCheck() throws Exception {
        PolicyCheck check = PolicyChecks.named("jarm-for-response-type-code");
        assertEquals(Set.of(PolicyEvent.PAR), check.events());
        for (String mode : List.of("jwt", "query.jwt", "fragment.jwt", "form_post.jwt")) {
            check.check(PolicyContext.par(context(Map.of("response_type", "code", "response_mode", mode)), null));
        }
        check.check(PolicyContext.par(context(Map.of("response_type", "code id_token")), null));
    }

    @Test
    public void rejectsCodeIdTokenWithoutNonceForFapi1Advanced() {
        refused("invalid_request", "nonce", () -> fapi1.validate(CLIENT,
                request(ps256(claims(b -> b.claim("response_type", "code id_token").claim("nonce", null))))));
    }

    @Test
    public void rejectsCodeIdTokenWithoutOpenidScopeForFapi1Advanced() {
        refused("invalid_request", "openid", () -> fapi1.validate(CLIENT,
                request(ps256(claims(b -> b.claim("response_type", "code id_token").claim("scope", "accounts"))))));
    }

    @Test
    public void rejectsImplicitResponseType() {
        rejected("unsupported_response_type", b -> b.claim("response_type", "token"), "not supported");
    }

    @Test
    public void acceptsEveryJarmResponseModeAndKeepsIt() throws Exception {
        for (String mode : List.of("jwt", "query.jwt", "fragment.jwt", "form_post.jwt")) {
            assertEquals(mode, accepted(fapi2, b -> b.claim("response_mode", mode)).responseMode());
        }
        for (String mode : List.of("jwt", "fragment.jwt", "form_post.jwt")) {
            assertEquals(mode, accepted(fapi1, b -> b.claim("response_type", "code id_token")
                    .claim("response_mode", mode)).responseMode());
        }
    }

    @Test
    public void rejectsPlainFormPost() {
        rejected("invalid_request", b -> b.claim("response_mode", "form_post"), "response_mode");
    }

    @Test
    public void rejectsUnknownResponseMode() {
        rejected("invalid_request", b -> b.claim("response_mode", "web_message"), "response_mode");
    }

    @Test
    public void rejectsQueryJwtWithAnIdTokenWhenTheResponseIsNotEncrypted() {
        refused("invalid_request", "query.jwt", () -> fapi1.validate(CLIENT, request(ps256(claims(
                b -> b.claim("response_type", "code id_token").claim("response_mode", "query.jwt"))))));
    }

    @Test
    public void rejectsQueryResponseModeForCodeIdToken() {
        refused("invalid_request", "response_mode", () -> fapi1.validate(CLIENT, request(ps256(claims(
                b -> b.claim("response_type", "code id_token").claim("response_mode", "query"))))));
    }

    @Test
    public void acceptsResponseModeQueryForCode() throws Exception {
        accepted(fapi2, b -> b.claim("response_mode", "query"));
    }

    @Test
    public void rejectsMissingCodeChallenge() {
        rejected("invalid_request", b -> b.claim("code_challenge", null), "code_challenge is required");
    }

    @Test
    public void rejectsPlainPkce() {
        rejected("invalid_request", b -> b.claim("code_challenge_method", "plain"), "S256");
    }

    @Test
    public void rejectsCodeChallengeWithoutMethodWhichMeansPlain() {
        rejected("invalid_request", b -> b.claim("code_challenge_method", null), "default plain");
    }

    @Test
    public void rejectsCodeChallengeOfWrongLength() {
        rejected("invalid_request", b -> b.claim("code_challenge", ParFixture.CHALLENGE + "A"), "43");
    }

    @Test
    public void rejectsCodeChallengeOutsideTheBase64UrlAlphabet() {
        rejected("invalid_request", b -> b.claim("code_challenge", ParFixture.CHALLENGE.substring(1) + "+"), "base64url");
    }

    @Test
    public void rejectsUnknownScope() {
        rejected("invalid_scope", b -> b.claim("scope", "openid accounts admin"), "'admin'");
    }

    @Test
    public void rejectsEmptyScopeToken() {
        rejected("invalid_scope", b -> b.claim("scope", "openid  accounts"), "space-separated");
    }

    @Test
    public void acceptsOpenidWithoutRegistration() throws Exception {
        assertEquals("openid", accepted(fapi2, b -> b.claim("scope", "openid")).scope());
    }

    @Test
    public void acceptsRequestWithoutScope() throws Exception {
        assertEquals(null, accepted(fapi2, b -> b.claim("scope", null)).scope());
    }

    @Test
    public void acceptsKnownClaimsAndKeepsThem() throws Exception {
        Map<String, Object> claims = Map.of("id_token", Map.of(
                "acr", Map.of("essential", true, "values", List.of("urn:openbanking:psd2:sca")),
                "openbanking_intent_id", Map.of("value", "i-1", "essential", true)));
        OpenBankingIntentsTest.Consents consents = new OpenBankingIntentsTest.Consents();
        consents.put("i-1", org.obkm.api.consent.ConsentType.ACCOUNT_ACCESS, CLIENT.clientId(),
                org.obkm.api.consent.ConsentStatus.AWAITING_AUTHORISATION, null);
        String kept = accepted(ParFixture.validator(consents), b -> b.claim("claims", claims)).claims();
        assertEquals(claims, JSONObjectUtils.parse(kept));
    }

    @Test
    public void rejectsUnknownClaim() {
        rejected("invalid_request", b -> b.claim("claims", Map.of("userinfo", Map.of("salary", Map.of()))), "salary");
    }

    private static RequestContext context(Map<String, String> params) {
        Map<String, List<String>> m = new java.util.HashMap<>();
        params.forEach((k, v) -> m.put(k, List.of(v)));
        return new RequestContext(CLIENT, org.obkm.oauth.internal.TestSettings.ISSUER, ParFixture.NOW,
                java.time.Duration.ZERO, null, null, m);
    }

    /** Issue 10 item 2: OIDC Core §5.5, members not understood are ignored (the suite sends a random one). */
    @Test
    public void ignoresUnknownTopLevelMembersOfTheClaimsRequest() throws Exception {
        Map<String, Object> claims = Map.of("epX2tfcTfq", Map.of("x", "1"), "access_token", List.of(),
                "id_token", Map.of("acr", Map.of("essential", true)));
        assertEquals(claims, JSONObjectUtils.parse(accepted(fapi2, b -> b.claim("claims", claims)).claims()));
        accepted(fapi2, b -> b.claim("claims", Map.of("epX2tfcTfq", "y")));
    }

    @Test
    public void rejectsClaimsRequestWhoseIdTokenOrUserinfoMemberIsNotAnObject() {
        rejected("invalid_request", b -> b.claim("claims", Map.of("id_token", List.of("acr"))), "id_token");
        rejected("invalid_request", b -> b.claim("claims", Map.of("userinfo", "sub")), "userinfo");
    }

    @Test
    public void rejectsAClaimsRequestThatIsNotAJsonObject() {
        rejected("invalid_request", b -> b.claim("claims", "[1,2]"), "claims");
        rejected("invalid_request", b -> b.claim("claims", "{\"id_token\":"), "claims");
    }

    @Test
    public void rejectsMalformedClaimsRequest() {
        rejected("invalid_request", b -> b.claim("claims", "not json"), "claims");
    }

    @Test
    public void rejectsStateLongerThan512Characters() {
        rejected("invalid_request", b -> b.claim("state", "s".repeat(513)), "state");
    }

    @Test
    public void acceptsStateOf512Characters() throws Exception {
        accepted(fapi2, b -> b.claim("state", "s".repeat(512)));
    }

    @Test
    public void rejectsNonceLongerThan512Characters() {
        rejected("invalid_request", b -> b.claim("nonce", "n".repeat(513)), "nonce");
    }

    @Test
    public void rejectsStateWithControlCharacters() {
        rejected("invalid_request", b -> b.claim("state", "a\nb"), "printable ASCII");
    }

    @Test
    public void rejectsClientNotRegisteredForTheAuthorizationCodeGrant() {
        refused("unauthorized_client", "authorization_code", () -> fapi2.validate(
                ParFixture.client(ParFixture.CLIENT_ID, Set.of("client_credentials")), request(ps256(claims().build()))));
    }

    @Test
    public void rejectsRepeatedPlainParameter() {
        AuthorizationRequestValidator none = ParFixture.validator(Map.of(), "none");
        com.nimbusds.oauth2.sdk.http.HTTPRequest r = form(ParFixture.plainParameters());
        r.setBody(r.getBody() + "&state=second");
        refused("invalid_request", "repeated", () -> none.validate(CLIENT, r));
    }

    @Test
    public void quotesNoUnsafeCharacterFromTheRequestInTheErrorDescription() {
        // RFC 6749 §5.2 forbids '"' and '\' in error_description; echoing them would be a 500.
        rejected("invalid_scope", b -> b.claim("scope", "openid \"x\\\u00e9"), "'?x??'");
    }
}
