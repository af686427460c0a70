package org.obkm.oauth.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientPolicy;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.oauth.internal.CpuGate;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ParFixture;
import org.obkm.oauth.internal.TestClients;
import org.obkm.oauth.internal.TestDpop;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.clientauth.ClientAuthenticator;
import org.obkm.oauth.internal.grant.ClientCredentialsGrant;
import org.obkm.oauth.internal.request.PushedRequest;
import org.obkm.oauth.internal.request.RequestContext;
import org.obkm.oauth.internal.sender.Confirmation;
import org.obkm.oauth.internal.sender.SenderBinding;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * One test per rule per event (issue 9): the profile is asked at registration, client authentication,
 * PAR, authorization, each grant and each resource request, from the client record.
 */
public class ProfileEventsTest {

    private static final String JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    private static final String OTHER_JKT = "1ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    private static final Confirmation DPOP = Confirmation.dpop(JKT);
    private static final Confirmation MTLS = Confirmation.certificate("x5t");

    private final ClientProfiles profiles = TestSettings.profiles(ClientProfiles.FAPI2_MESSAGE_SIGNING);

    private static Client client(TokenEndpointAuthMethod method, String... grants) {
        return new Client("tpp-2", "TPP", Set.of(grants), Set.of("accounts"), method,
                method.usesSecret() ? "sha256:x" : null, method == TokenEndpointAuthMethod.TLS_CLIENT_AUTH ? null
                        : "{\"keys\":[]}", null, List.of("https://tpp.example/cb"),
                method == TokenEndpointAuthMethod.TLS_CLIENT_AUTH ? "CN=tpp" : null, Instant.now());
    }

    private Client registered(TokenEndpointAuthMethod method, String profile, String... grants) {
        Client c = client(method, grants);
        return c.withPolicy(profiles.resolve(c, profile, null, null));
    }

    private static String refusal(String code, org.junit.jupiter.api.function.Executable call) {
        OAuthException e = assertThrows(OAuthException.class, call);
        assertEquals(code, e.error().getCode(), e.error().getDescription());
        return e.error().getDescription();
    }

    private static String registrationRefusal(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    private static PushedRequest pushed(String challenge, String dpopJkt) {
        return new PushedRequest("tpp-2", "https://tpp.example/cb", "code", "openid accounts", "s", "n", challenge,
                challenge == null ? null : "S256", null, ClientProfiles.FAPI2_MESSAGE_SIGNING, dpopJkt);
    }

    private static JWTClaimsSet token(Confirmation cnf) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject("u").jwtID("j").claim("client_id", "tpp-2");
        if (!cnf.isNone()) {
            b.claim("cnf", cnf.toClaim());
        }
        return b.build();
    }

    // --- registration

    @Test
    public void fapi2RefusesClientSecretBasicAtRegistration() {
        assertTrue(registrationRefusal(() -> registered(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, "fapi2-message-signing",
                "client_credentials")).contains("allows only [private_key_jwt, self_signed_tls_client_auth, tls_client_auth]"));
    }

    @Test
    public void fapi2RefusesClientSecretPostAtRegistration() {
        registrationRefusal(() -> registered(TokenEndpointAuthMethod.CLIENT_SECRET_POST, null, "client_credentials"));
    }

    @Test
    public void fapi1AdvancedRefusesClientSecretAtRegistration() {
        registrationRefusal(() -> registered(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, "fapi1-advanced",
                "client_credentials"));
    }

    @Test
    public void fapi2StoresItsRequirementsOnTheRecordAtRegistration() {
        ClientPolicy p = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, "client_credentials").policy();
        assertEquals(new ClientPolicy("fapi2-message-signing", true, true, ClientChecks.FAPI_AUTH_METHODS), p);
    }

    @Test
    public void fapi2RefusesUnboundTokensAtRegistration() {
        Client c = client(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "client_credentials");
        assertTrue(registrationRefusal(() -> profiles.resolve(c, "fapi2-message-signing", null, false)).contains("sender-constrained"));
    }

    @Test
    public void parRequiredRefusesAFapi2ClientWithoutParAtRegistration() {
        Client c = client(TokenEndpointAuthMethod.TLS_CLIENT_AUTH, "authorization_code");
        assertTrue(registrationRefusal(() -> profiles.resolve(c, "fapi2-message-signing", false, null)).contains("pushed"));
    }

    @Test
    public void noneAcceptsAClientSecretAndStricterRequirementsAtRegistration() {
        Client c = client(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, "client_credentials");
        ClientPolicy p = profiles.resolve(c, "none", null, true);
        assertEquals("none", p.profile());
        assertFalse(p.parRequired());
        assertTrue(p.senderConstrained());
        assertEquals(EnumSet.allOf(TokenEndpointAuthMethod.class), p.authMethods());
    }

    @Test
    public void unknownProfileIsRefusedAtRegistration() {
        assertTrue(registrationRefusal(() -> registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi3",
                "client_credentials")).contains("unknown profile 'fapi3'"));
    }

    // --- client authentication

    @Test
    public void fapi2RefusesClientSecretBasicAtClientAuthentication() throws Exception {
        // A client stored before its record had a profile, with a secret: the default profile (fapi2) holds.
        Client legacy = client(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, "client_credentials");
        ClientAuthenticator a = new ClientAuthenticator(TestClients.of(legacy), TestSettings.defaults(),
                new InMemorySharedState(), profiles);
        HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create("https://as.bank.example/oauth2/token"));
        r.setContentType("application/x-www-form-urlencoded");
        r.setAuthorization("Basic " + java.util.Base64.getEncoder().encodeToString("tpp-2:s3cret".getBytes()));
        r.setBody("grant_type=client_credentials");
        assertTrue(refusal("invalid_client", () -> a.authenticate(r, "https://as.bank.example/oauth2/token"))
                .contains("does not allow client_secret_basic"));
    }

    @Test
    public void clientAuthMethodsRefusesAMethodTheRecordDoesNotAllowAtClientAuthentication() {
        Client c = client(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, "client_credentials")
                .withPolicy(new ClientPolicy("none", false, false, Set.of(TokenEndpointAuthMethod.PRIVATE_KEY_JWT)));
        refusal("invalid_client", () -> profiles.enforce(
                PolicyContext.authentication(c, TokenEndpointAuthMethod.CLIENT_SECRET_BASIC)));
    }

    @Test
    public void fapi2AdmitsPrivateKeyJwtAtClientAuthentication() throws Exception {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi2-message-signing", "client_credentials");
        profiles.enforce(PolicyContext.authentication(c, TokenEndpointAuthMethod.PRIVATE_KEY_JWT));
    }

    // --- PAR

    @Test
    public void dpopJktRefusesAMalformedThumbprintAtPar() {
        RequestContext r = parRequest(Map.of("dpop_jkt", "short"));
        refusal("invalid_request", () -> profiles.enforce(PolicyContext.par(r, Confirmation.NONE)));
    }

    @Test
    public void dpopJktRefusesAThumbprintOtherThanTheProofsKeyAtPar() {
        RequestContext r = parRequest(Map.of("dpop_jkt", OTHER_JKT));
        refusal("invalid_dpop_proof", () -> profiles.enforce(PolicyContext.par(r, DPOP)));
    }

    private static RequestContext parRequest(Map<String, String> extra) {
        Map<String, List<String>> params = new HashMap<>();
        ParFixture.plainParameters().forEach((k, v) -> params.put(k, List.of(v)));
        extra.forEach((k, v) -> params.put(k, List.of(v)));
        return new RequestContext(client(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "authorization_code")
                .withPolicy(new ClientPolicy("none", false, false, Set.of(TokenEndpointAuthMethod.PRIVATE_KEY_JWT))),
                TestSettings.ISSUER, Instant.now(), java.time.Duration.ofSeconds(10), null, null, params);
    }

    // --- authorization

    @Test
    public void parRequiredRefusesAnAuthorizationRequestThatWasNotPushed() {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi2-message-signing", "authorization_code");
        refusal("invalid_request", () -> profiles.enforce(PolicyContext.authorization(c, null)));
    }

    @Test
    public void parRequiredAdmitsAPushedRequestAtAuthorization() throws Exception {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi2-message-signing", "authorization_code");
        profiles.enforce(PolicyContext.authorization(c, pushed(ParFixture.CHALLENGE, null)));
    }

    // --- token: client credentials

    @Test
    public void fapi2RefusesAnUnboundClientCredentialsToken() throws Exception {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi2-message-signing", "client_credentials");
        // Through the grant itself: the refusal comes before any token is made (no issuer is needed).
        ClientCredentialsGrant grant = new ClientCredentialsGrant(null,
                new SenderBinding(TestDpop.proofs(new InMemorySharedState())), TestSettings.defaults(), profiles,
                CpuGate.ungated());
        HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create(TestSettings.ISSUER));
        r.setContentType("application/x-www-form-urlencoded");
        r.setBody("grant_type=client_credentials&scope=accounts");
        String why = refusal("invalid_request", () -> grant.handle(c, r));
        assertTrue(why.contains("sender-constrained"), why);
    }

    @Test
    public void fapi2AdmitsADpopOrCertificateBoundClientCredentialsToken() throws Exception {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi2-message-signing", "client_credentials");
        profiles.enforce(PolicyContext.token(PolicyEvent.TOKEN_CLIENT_CREDENTIALS, c, null, DPOP, null));
        profiles.enforce(PolicyContext.token(PolicyEvent.TOKEN_CLIENT_CREDENTIALS, c, null, MTLS, null));
    }

    @Test
    public void noneAdmitsAnUnboundClientCredentialsToken() throws Exception {
        Client c = registered(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, "none", "client_credentials");
        profiles.enforce(PolicyContext.token(PolicyEvent.TOKEN_CLIENT_CREDENTIALS, c, null, Confirmation.NONE, null));
    }

    @Test
    public void senderConstrainedOnTheRecordRefusesAnUnboundTokenUnderProfileNone() {
        Client c = client(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, "client_credentials");
        Client strict = c.withPolicy(profiles.resolve(c, "none", null, true));
        refusal("invalid_request", () -> profiles.enforce(
                PolicyContext.token(PolicyEvent.TOKEN_CLIENT_CREDENTIALS, strict, null, Confirmation.NONE, null)));
    }

    // --- token: authorization code

    @Test
    public void fapi2RefusesAnUnboundAuthorizationCodeRedemption() {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi2-message-signing", "authorization_code");
        refusal("invalid_request", () -> profiles.enforce(PolicyContext.token(PolicyEvent.TOKEN_AUTHORIZATION_CODE,
                c, pushed(ParFixture.CHALLENGE, null), Confirmation.NONE, Map.of("code_verifier", "v"))));
    }

    @Test
    public void dpopJktRefusesAnotherKeyAtAuthorizationCodeRedemption() {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "none", "authorization_code");
        refusal("invalid_grant", () -> profiles.enforce(PolicyContext.token(PolicyEvent.TOKEN_AUTHORIZATION_CODE,
                c, pushed(ParFixture.CHALLENGE, OTHER_JKT), DPOP, Map.of("code_verifier", "v"))));
    }

    @Test
    public void pkceRefusesACodeIssuedWithoutChallengeAtRedemption() {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi2-message-signing", "authorization_code");
        assertTrue(refusal("invalid_grant", () -> profiles.enforce(PolicyContext.token(
                PolicyEvent.TOKEN_AUTHORIZATION_CODE, c, pushed(null, null), DPOP, null))).contains("PKCE"));
    }

    @Test
    public void pkceRefusesARedemptionWithoutVerifier() {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi2-message-signing", "authorization_code");
        refusal("invalid_grant", () -> profiles.enforce(PolicyContext.token(PolicyEvent.TOKEN_AUTHORIZATION_CODE,
                c, pushed(ParFixture.CHALLENGE, null), DPOP, null)));
    }

    @Test
    public void fapi2AdmitsABoundRedemptionWithVerifierAndItsDpopKey() throws Exception {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi2-message-signing", "authorization_code");
        profiles.enforce(PolicyContext.token(PolicyEvent.TOKEN_AUTHORIZATION_CODE, c, pushed(ParFixture.CHALLENGE, JKT),
                DPOP, Map.of("code_verifier", "v")));
    }

    // --- token: refresh

    @Test
    public void fapi2RefusesAnUnboundRefresh() {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi2-message-signing", "authorization_code", "refresh_token");
        refusal("invalid_request", () -> profiles.enforce(
                PolicyContext.token(PolicyEvent.TOKEN_REFRESH_TOKEN, c, null, Confirmation.NONE, null)));
    }

    // --- resources

    @Test
    public void fapi2RefusesAnUnboundTokenAtUserinfo() {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi2-message-signing", "authorization_code");
        ResourcePolicy policy = new ResourcePolicy(TestClients.of(c), profiles);
        refusal("invalid_token", () -> policy.enforce(PolicyEvent.USERINFO, token(Confirmation.NONE)));
    }

    @Test
    public void fapi2RefusesAnUnboundTokenAtIntrospection() {
        Client c = registered(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "fapi2-message-signing", "client_credentials");
        ResourcePolicy policy = new ResourcePolicy(TestClients.of(c), profiles);
        assertFalse(policy.admits(PolicyEvent.INTROSPECTION, token(Confirmation.NONE)));
        assertTrue(policy.admits(PolicyEvent.INTROSPECTION, token(MTLS)));
    }

    @Test
    public void aTokenOfADeletedClientIsRefusedAtUserinfo() {
        ResourcePolicy policy = new ResourcePolicy(new TestClients(new HashMap<>()), profiles);
        refusal("invalid_token", () -> policy.enforce(PolicyEvent.USERINFO, token(DPOP)));
    }

    @Test
    public void aRecordNamingAnUnconfiguredProfileFailsClosedAtEveryEvent() {
        Client c = client(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "client_credentials")
                .withPolicy(new ClientPolicy("gone", true, true, ClientChecks.FAPI_AUTH_METHODS));
        refusal("server_error", () -> profiles.enforce(PolicyContext.token(PolicyEvent.TOKEN_CLIENT_CREDENTIALS, c,
                null, DPOP, null)));
    }
}
