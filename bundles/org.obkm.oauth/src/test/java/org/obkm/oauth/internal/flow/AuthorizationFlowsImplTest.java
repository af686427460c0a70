package org.obkm.oauth.internal.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.ClientService;
import org.obkm.api.flow.FlowPage;
import org.obkm.api.flow.FlowStep;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.ResolvedName;
import org.obkm.api.user.User;
import org.obkm.api.user.UserStoreRegistry;
import org.obkm.oauth.internal.InMemoryGrantStore;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.ParFixture;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.TestClients;
import org.obkm.oauth.internal.TestKeys;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.request.PushedRequest;
import org.obkm.oauth.internal.token.AuthorizationCodes;
import org.obkm.oauth.internal.token.IdTokenIssuer;
import org.obkm.oauth.internal.token.ResponseJwts;
import org.obkm.oauth.internal.token.Randoms;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/** The login and consent steps over shared state: CSRF, browser binding, attempts, approve, deny, double posts. */
public class AuthorizationFlowsImplTest {

    private static final String BROWSER = Randoms.token();
    private static final User ALICE = new User("u-1", "PRIMARY", "alice", "Alice Example", false, Map.of());
    private final InterruptibleSharedState state = new InterruptibleSharedState(new InMemorySharedState());
    private final InMemoryGrantStore grants = new InMemoryGrantStore();
    private final ServerSettings settings = TestSettings.defaults();
    private final FlowStore store = new FlowStore(state, settings);
    private final org.obkm.oauth.internal.InMemoryConsents consents = new org.obkm.oauth.internal.InMemoryConsents();
    private final AuthorizationFlowsImpl flows = node();
    /** Another node on the same shared state and database. */
    private final AuthorizationFlowsImpl otherNode = node();


    private AuthorizationFlowsImpl node() {
        return new AuthorizationFlowsImpl(new FlowStore(state, settings), users(), clients(), grants,
                new AuthorizationCodes(state, grants, settings), new IdTokenIssuer(TestKeys.signing(), settings),
                new ConsentDescriber(), settings,
                new AuthorizationResponses(settings, clients(), new ResponseJwts(TestKeys.signing())),
                new ConsentPlayback(new org.obkm.oauth.internal.consent.ConsentBinding(consents,
                        java.time.Clock.systemUTC()), (subject, username) -> List.of(new org.obkm.api.bank.BankAccount(
                                "22289", "Current account", "UK.OBIE.SortCodeAccountNumber", "80200110203345", "GBP"))));
    }

    /** A flow for the account-access consent {@code id}, signed in as alice, at its consent page. */
    private Flow atConsentOf(String id) {
        consents.put(id, org.obkm.api.consent.ConsentType.ACCOUNT_ACCESS, ParFixture.CLIENT_ID,
                org.obkm.oauth.internal.InMemoryConsents.ACCOUNT_DATA, null);
        Flow f = store.start(new PushedRequest(ParFixture.CLIENT_ID, ParFixture.REDIRECT_URI, "code",
                "openid accounts", "st-1", "n-1", ParFixture.CHALLENGE, "S256",
                "{\"id_token\":{\"openbanking_intent_id\":{\"value\":\"" + id + "\",\"essential\":true}}}",
                "fapi2-message-signing", null), BROWSER);
        flows.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "right".toCharArray());
        return f;
    }

    @Test
    public void consentPageShowsTheOpenBankingConsentAndThePsusAccounts() {
        Flow f = atConsentOf("c-page");
        org.obkm.api.flow.ConsentDetails d = flows.page(f.flowId(), BROWSER).orElseThrow().consent();
        assertEquals("c-page", d.consentId());
        assertEquals(List.of("ReadAccountsDetail", "ReadBalances"), d.permissions().stream().map(p -> p.code()).toList());
        assertEquals("22289", d.accounts().get(0).accountId());
    }

    @Test
    public void approveAuthorisesTheConsentWithTheSelectedAccountAndBindsTheGrant() {
        Flow f = atConsentOf("c-ok");
        FlowStep done = flows.decide(f.flowId(), BROWSER, f.csrf(), true, List.of("22289"));
        assertTrue(URLUtils.parseParameters(done.redirect().getRawQuery()).containsKey("code"));
        org.obkm.api.consent.Consent c = consents.find("c-ok").orElseThrow();
        assertEquals(org.obkm.api.consent.ConsentStatus.AUTHORISED, c.status());
        assertEquals(List.of("22289"), c.accounts());
        assertEquals("u-1", c.subject());
        assertTrue(grants.grants.values().iterator().next().details().contains("\"openbanking_intent_id\":\"c-ok\""));
    }

    @Test
    public void approveWithoutAnAccountShowsThePageAgainAndChangesNothing() {
        Flow f = atConsentOf("c-none");
        FlowStep step = flows.decide(f.flowId(), BROWSER, f.csrf(), true, List.of());
        assertEquals(FlowStep.Kind.SHOW, step.kind());
        assertEquals(ConsentPlayback.PICK_SOME, step.page().message());
        assertEquals(org.obkm.api.consent.ConsentStatus.AWAITING_AUTHORISATION,
                consents.find("c-none").orElseThrow().status());
        assertTrue(grants.grants.isEmpty());
    }

    @Test
    public void denyRejectsTheConsentAndSendsAccessDenied() {
        Flow f = atConsentOf("c-deny");
        FlowStep done = flows.decide(f.flowId(), BROWSER, f.csrf(), false, List.of("22289"));
        assertEquals(List.of("access_denied"), URLUtils.parseParameters(done.redirect().getRawQuery()).get("error"));
        assertEquals(org.obkm.api.consent.ConsentStatus.REJECTED, consents.find("c-deny").orElseThrow().status());
        assertTrue(grants.grants.isEmpty());
    }

    @Test
    public void approvalOfAConsentTheTppDeletedMeanwhileSendsAccessDenied() {
        Flow f = atConsentOf("c-gone");
        consents.delete("c-gone", "client:tpp");
        FlowStep done = flows.decide(f.flowId(), BROWSER, f.csrf(), true, List.of("22289"));
        assertEquals(FlowStep.Kind.SHOW, done.kind(), "the page says the request was withdrawn");
        assertEquals(ConsentPlayback.WITHDRAWN, done.page().message());
        assertTrue(grants.grants.isEmpty());
    }

    private Flow start(String responseType) {
        return store.start(new PushedRequest(ParFixture.CLIENT_ID, ParFixture.REDIRECT_URI, responseType,
                "openid accounts", "st-1", "n-1", ParFixture.CHALLENGE, "S256", null, "fapi2-message-signing", null), BROWSER);
    }

    @Test
    public void anotherBrowserSeesNothing() {
        Flow f = start("code");
        assertTrue(flows.page(f.flowId(), BROWSER).isPresent());
        assertTrue(flows.page(f.flowId(), Randoms.token()).isEmpty());
        assertTrue(flows.page(f.flowId(), null).isEmpty());
        assertEquals(FlowStep.Kind.FAILED, flows.signIn(f.flowId(), Randoms.token(), f.csrf(), "alice", "pw".toCharArray()).kind());
    }

    @Test
    public void wrongCsrfTokenChangesNothing() {
        Flow f = start("code");
        assertEquals(FlowStep.Kind.FAILED, flows.signIn(f.flowId(), BROWSER, "forged", "alice", "right".toCharArray()).kind());
        assertEquals(FlowPage.Stage.LOGIN, flows.page(f.flowId(), BROWSER).orElseThrow().stage());
    }

    @Test
    public void wrongPasswordShowsTheFormAgainUntilTheLimit() {
        Flow f = start("code");
        for (int i = 1; i < 5; i++) {
            FlowStep step = flows.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "wrong".toCharArray());
            assertEquals(FlowStep.Kind.SHOW, step.kind());
            assertEquals("The username or password is incorrect.", step.page().message());
            assertEquals("alice", step.page().username());
        }
        FlowStep last = flows.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "wrong".toCharArray());
        assertEquals(FlowStep.Kind.REDIRECT, last.kind());
        Map<String, List<String>> q = URLUtils.parseParameters(last.redirect().getRawQuery());
        assertEquals(List.of("access_denied"), q.get("error"));
        assertEquals(List.of("st-1"), q.get("state"));
        assertEquals(List.of(TestSettings.ISSUER), q.get("iss"));
        assertTrue(flows.page(f.flowId(), BROWSER).isEmpty(), "the flow ended");
    }

    @Test
    public void approveIssuesCodeWithStateAndIssuer() {
        Flow f = start("code");
        FlowStep login = flows.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "right".toCharArray());
        assertEquals(URI.create("/authn/consent?flow=" + f.flowId()), login.redirect());
        FlowPage consent = flows.page(f.flowId(), BROWSER).orElseThrow();
        assertEquals(FlowPage.Stage.CONSENT, consent.stage());
        assertEquals("Alice Example", consent.userName());
        assertEquals(List.of("openid", "accounts"), consent.permissions().stream().map(p -> p.code()).toList());
        FlowStep done = flows.decide(f.flowId(), BROWSER, f.csrf(), true);
        assertTrue(done.redirect().toString().startsWith(ParFixture.REDIRECT_URI + "?"));
        Map<String, List<String>> q = URLUtils.parseParameters(done.redirect().getRawQuery());
        assertTrue(Randoms.isToken(q.get("code").get(0)));
        assertEquals(List.of("st-1"), q.get("state"));
        assertEquals(List.of(TestSettings.ISSUER), q.get("iss"));
        assertEquals(1, grants.grants.size());
        assertEquals(FlowStep.Kind.FAILED, flows.decide(f.flowId(), BROWSER, f.csrf(), true).kind(), "answered once only");
    }

    @Test
    public void denyReturnsAccessDenied() {
        Flow f = start("code");
        flows.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "right".toCharArray());
        FlowStep done = flows.decide(f.flowId(), BROWSER, f.csrf(), false);
        Map<String, List<String>> q = URLUtils.parseParameters(done.redirect().getRawQuery());
        assertEquals(List.of("access_denied"), q.get("error"));
        assertTrue(grants.grants.isEmpty());
    }

    @Test
    public void consentBeforeSignInGoesToLogin() {
        Flow f = start("code");
        FlowStep step = flows.decide(f.flowId(), BROWSER, f.csrf(), true);
        assertEquals(URI.create("/authn/login?flow=" + f.flowId()), step.redirect());
        assertTrue(grants.grants.isEmpty());
    }

    @Test
    public void hybridResponseCarriesIdTokenWithHashesInFragment() throws Exception {
        Flow f = start("code id_token");
        flows.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "right".toCharArray());
        URI to = flows.decide(f.flowId(), BROWSER, f.csrf(), true).redirect();
        assertFalse(to.toString().contains("?"), "no query");
        Map<String, List<String>> p = URLUtils.parseParameters(to.getRawFragment());
        SignedJWT idToken = SignedJWT.parse(p.get("id_token").get(0));
        assertEquals(JWSAlgorithm.PS256, idToken.getHeader().getAlgorithm());
        assertEquals("n-1", idToken.getJWTClaimsSet().getStringClaim("nonce"));
        assertTrue(idToken.getJWTClaimsSet().getStringClaim("c_hash") != null);
        assertTrue(idToken.getJWTClaimsSet().getStringClaim("s_hash") != null);
        assertEquals("urn:openbanking:psd2:sca", idToken.getJWTClaimsSet().getStringClaim("acr"));
    }

    @Test
    void signInInterruptedBeforeItsWriteLeavesTheFlowForAnotherNode() {
        Flow f = start("code");
        state.dead = true;
        assertEquals(FlowStep.Kind.FAILED, flows.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "right".toCharArray()).kind());
        state.dead = false;
        assertEquals(FlowPage.Stage.LOGIN, otherNode.page(f.flowId(), BROWSER).orElseThrow().stage(), "flow survived");
        FlowStep login = otherNode.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "right".toCharArray());
        assertEquals(URI.create("/authn/consent?flow=" + f.flowId()), login.redirect());
    }

    @Test
    void consentInterruptedBeforeItsWriteLeavesTheFlowForAnotherNode() {
        Flow f = start("code");
        flows.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "right".toCharArray());
        state.dead = true;
        assertEquals(FlowStep.Kind.FAILED, flows.decide(f.flowId(), BROWSER, f.csrf(), true).kind());
        state.dead = false;
        assertEquals(FlowPage.Stage.CONSENT, otherNode.page(f.flowId(), BROWSER).orElseThrow().stage(), "flow survived");
        FlowStep done = otherNode.decide(f.flowId(), BROWSER, f.csrf(), true);
        assertTrue(Randoms.isToken(URLUtils.parseParameters(done.redirect().getRawQuery()).get("code").get(0)));
    }

    @Test
    void consentApprovedTwiceAtOnceYieldsOneCode() {
        Flow f = start("code");
        flows.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "right".toCharArray());
        FlowStep[] other = new FlowStep[1];
        state.beforeNextWrite = () -> other[0] = otherNode.decide(f.flowId(), BROWSER, f.csrf(), true);
        FlowStep mine = flows.decide(f.flowId(), BROWSER, f.csrf(), true);
        assertEquals(FlowStep.Kind.REDIRECT, other[0].kind(), "the first to end the flow gets the code");
        assertEquals(FlowStep.Kind.FAILED, mine.kind());
        assertEquals(AuthorizationFlowsImpl.ANSWERED, mine.message());
        assertEquals(1, grants.grants.keySet().stream().filter(id -> !grants.isGrantRevoked(id)).count(),
                "the loser's grant is revoked, so its code is refused");
    }

    @Test
    void signInTwiceAtOnceMovesTheFlowOnce() {
        Flow f = start("code");
        FlowStep[] other = new FlowStep[1];
        state.beforeNextWrite = () -> other[0] = otherNode.signIn(f.flowId(), BROWSER, f.csrf(), "alice",
                "right".toCharArray());
        FlowStep mine = flows.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "right".toCharArray());
        assertEquals(FlowStep.Kind.REDIRECT, other[0].kind());
        assertEquals(FlowStep.Kind.FAILED, mine.kind());
        assertEquals(FlowPage.Stage.CONSENT, flows.page(f.flowId(), BROWSER).orElseThrow().stage());
    }

    @Test
    void wrongPasswordCountedMeanwhileStaysCountedWhenSignInWins() {
        Flow f = start("code");
        state.beforeNextWrite = () -> otherNode.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "wrong".toCharArray());
        FlowStep mine = flows.signIn(f.flowId(), BROWSER, f.csrf(), "alice", "right".toCharArray());
        assertEquals(URI.create("/authn/consent?flow=" + f.flowId()), mine.redirect(), "re-read and applied again");
        FlowStore.Read read = store.read(f.flowId(), BROWSER).orElseThrow();
        assertEquals(1, read.flow().attempts());
        assertEquals("u-1", read.flow().subject());
    }

    private static UserStoreRegistry users() {
        return new UserStoreRegistry() {
            @Override
            public Optional<org.obkm.api.user.UserStore> store(String domain) {
                return Optional.empty();
            }

            @Override
            public List<String> domains() {
                return List.of("PRIMARY");
            }

            @Override
            public Optional<ResolvedName> resolve(String name) {
                return Optional.empty();
            }

            @Override
            public AuthenticationResult authenticate(String name, char[] password) {
                return "alice".equals(name) && "right".equals(new String(password)) ? AuthenticationResult.ok(ALICE)
                        : AuthenticationResult.badCredentials();
            }

            @Override
            public Optional<User> findBySubject(String subject) {
                return Optional.empty();
            }
        };
    }

    private static ClientService clients() {
        return TestClients.of(ParFixture.CLIENT);
    }

    /** Signs as the keys bundle would, with one test key. */
}
