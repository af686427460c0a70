package org.obkm.oauth.internal.flow;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.obkm.oauth.internal.Failures;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.api.cluster.ClusterUnavailableException;
import org.obkm.api.consent.ConsentService;
import org.obkm.api.consent.ConsentStateException;
import org.obkm.api.consent.ConsentStatus;
import org.obkm.api.flow.AuthorizationFlows;
import org.obkm.api.flow.ConsentDetails;
import org.obkm.api.flow.FlowPage;
import org.obkm.api.flow.FlowStep;
import org.obkm.api.token.Grant;
import org.obkm.api.token.GrantStore;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.User;
import org.obkm.api.user.UserStoreRegistry;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.consent.ConsentBinding;
import org.obkm.oauth.internal.request.PushedRequest;
import org.obkm.oauth.internal.token.AuthorizationCodes;
import org.obkm.oauth.internal.token.IdTokenIssuer;
import org.obkm.oauth.internal.token.Randoms;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.id.State;

/**
 * The login and consent steps of an authorization, on any node: every step reads the flow from the
 * cluster's shared state, computes the next state and writes it with one compare-and-set (see
 * {@link FlowStore}); a step that lost to a concurrent post re-reads and decides again. Approval records the grant in the database and issues a code; denial, and too many
 * wrong passwords within one flow, return {@code access_denied} to the client.
 */
@Component(service = AuthorizationFlows.class)
public final class AuthorizationFlowsImpl implements AuthorizationFlows {

    static final String EXPIRED = "This sign-in link has expired or was opened in another browser."
            + " Please return to the application and start again.";
    static final String FORM_EXPIRED = "This form has expired. Please return to the application and start again.";
    static final String UNAVAILABLE = "Sign-in is temporarily unavailable. Please try again in a moment.";
    static final String ANSWERED = "This request was already answered in another window."
            + " Please return to the application.";
    /** Compare-and-set rounds of one sign-in; each lost round means another post changed the flow. */
    private static final int MAX_ROUNDS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationFlowsImpl.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("org.obkm.audit");

    private final FlowStore flows;
    private final UserStoreRegistry users;
    private final ClientService clients;
    private final GrantStore grants;
    private final AuthorizationCodes codes;
    private final IdTokenIssuer idTokens;
    private final ConsentDescriber describer;
    private final ServerSettings settings;
    private final AuthorizationResponses responses;
    private final FlowStepStall stall;
    private final ConsentPlayback playback;
    private final Clock clock;

    @Activate
    public AuthorizationFlowsImpl(@Reference FlowStore flows, @Reference UserStoreRegistry users,
            @Reference ClientService clients, @Reference GrantStore grants, @Reference AuthorizationCodes codes,
            @Reference IdTokenIssuer idTokens, @Reference ConsentDescriber describer,
            @Reference ServerSettings settings, @Reference AuthorizationResponses responses,
            @Reference ConsentPlayback playback) {
        this(flows, users, clients, grants, codes, idTokens, describer, settings, responses,
                FlowStepStall.fromSystemProperty(), playback);
    }

    /** Without open-banking consents: for tests. */
    AuthorizationFlowsImpl(FlowStore flows, UserStoreRegistry users, ClientService clients, GrantStore grants,
            AuthorizationCodes codes, IdTokenIssuer idTokens, ConsentDescriber describer, ServerSettings settings,
            AuthorizationResponses responses, FlowStepStall stall) {
        this(flows, users, clients, grants, codes, idTokens, describer, settings, responses, stall,
                new ConsentPlayback(new ConsentBinding(null, Clock.systemUTC()), null));
    }

    AuthorizationFlowsImpl(FlowStore flows, UserStoreRegistry users, ClientService clients, GrantStore grants,
            AuthorizationCodes codes, IdTokenIssuer idTokens, ConsentDescriber describer, ServerSettings settings,
            AuthorizationResponses responses, FlowStepStall stall, ConsentPlayback playback) {
        this.playback = playback;
        this.flows = flows;
        this.users = users;
        this.clients = clients;
        this.grants = grants;
        this.codes = codes;
        this.idTokens = idTokens;
        this.describer = describer;
        this.settings = settings;
        this.responses = responses;
        this.stall = stall;
        this.clock = Clock.systemUTC();
    }

    @Override
    public Optional<FlowPage> page(String flowId, String browserKey) {
        try {
            return flows.find(flowId, browserKey).map(f -> toPage(f, null));
        } catch (ClusterUnavailableException e) {
            return Optional.empty();
        }
    }

    @Override
    public FlowStep signIn(String flowId, String browserKey, String csrfToken, String username, char[] password) {
        try {
            Optional<FlowStore.Read> found = flows.read(flowId, browserKey);
            if (found.isEmpty()) {
                return FlowStep.failed(EXPIRED);
            }
            Flow flow = found.get().flow();
            if (!sameToken(flow.csrf(), csrfToken)) {
                LOG.warn("Sign-in form of flow for client {} posted with a wrong CSRF token; ignored",
                        flow.request().clientId());
                return FlowStep.failed(FORM_EXPIRED);
            }
            if (flow.stage() != FlowPage.Stage.LOGIN) {
                return FlowStep.redirect(pageUri(AuthorizationFlows.CONSENT_PATH, flowId));
            }
            String name = username == null ? "" : username.strip();
            if (name.isEmpty() || password == null || password.length == 0) {
                return FlowStep.show(toPage(flow, null).withMessage("Enter your username and password."));
            }
            AuthenticationResult result = users.authenticate(name, password);
            if (result.outcome() == AuthenticationResult.Outcome.UNAVAILABLE) {
                return FlowStep.show(toPage(flow, null).withMessage(result.message()));
            }
            stall.inStep("sign-in");
            for (int round = 1;; round++) {
                Optional<FlowStep> step = signedIn(found.get(), name, result);
                if (step.isPresent()) {
                    return step.get();
                }
                // Another post changed the flow since it was read: decide again on what is stored now. A
                // wrong password counted meanwhile stays counted; a sign-in that won ends this one.
                found = flows.read(flowId, browserKey);
                if (found.isEmpty() || found.get().flow().stage() != FlowPage.Stage.LOGIN || round == MAX_ROUNDS) {
                    return FlowStep.failed("This sign-in was already completed in another window."
                            + " Please return to the application.");
                }
            }
        } catch (RuntimeException e) {
            return unavailable("Sign-in", e);
        }
    }

    /** The sign-in's outcome applied to the flow as read, in one compare-and-set; empty if that lost. */
    private Optional<FlowStep> signedIn(FlowStore.Read read, String name, AuthenticationResult result) {
        Flow flow = read.flow();
        if (result.isOk()) {
            User user = result.user();
            Flow next = flow.signedIn(user.subject(), user.domain(), user.username(),
                    user.displayName().isEmpty() ? user.username() : user.displayName(), clock.instant().getEpochSecond());
            if (!flows.advance(read, next)) {
                return Optional.empty();
            }
            AUDIT.info("sign-in ok user={} client={}", user.subject(), flow.request().clientId());
            return Optional.of(FlowStep.redirect(pageUri(AuthorizationFlows.CONSENT_PATH, flow.flowId())));
        }
        Flow next = flow.withFailedAttempt(name);
        boolean last = next.attempts() >= settings.maxSignInAttemptsPerFlow();
        // Made before the flow ends: a response that cannot be made (a client key gone) leaves the flow as it was.
        FlowStep denied = last ? responses.error(flow.request(),
                OAuth2Error.ACCESS_DENIED.setDescription("too many failed sign-in attempts")) : null;
        if (!(last ? flows.end(read) : flows.advance(read, next))) {
            return Optional.empty();
        }
        AUDIT.info("sign-in refused ({}) client={} attempt={}", result.outcome(), flow.request().clientId(),
                next.attempts());
        if (last) {
            return Optional.of(denied);
        }
        return Optional.of(FlowStep.show(toPage(next, null).withMessage(result.message())));
    }

    @Override
    public FlowStep decide(String flowId, String browserKey, String csrfToken, boolean approve,
            java.util.List<String> accounts) {
        try {
            Optional<FlowStore.Read> found = flows.read(flowId, browserKey);
            if (found.isEmpty()) {
                return FlowStep.failed(EXPIRED);
            }
            Flow flow = found.get().flow();
            if (!sameToken(flow.csrf(), csrfToken)) {
                LOG.warn("Consent form posted with a wrong CSRF token; ignored");
                return FlowStep.failed(FORM_EXPIRED);
            }
            if (flow.stage() != FlowPage.Stage.CONSENT) {
                return FlowStep.redirect(pageUri(AuthorizationFlows.LOGIN_PATH, flowId));
            }
            PushedRequest request = flow.request();
            Optional<String> consentId = ConsentBinding.intentOf(request);
            if (!approve) {
                FlowStep denied = responses.error(request,
                        OAuth2Error.ACCESS_DENIED.setDescription("the user denied the request"));
                stall.inStep("consent");
                if (!flows.end(found.get())) {
                    return FlowStep.failed(ANSWERED);
                }
                consentId.ifPresent(id -> reject(id, flow.subject(), "the PSU denied it"));
                AUDIT.info("consent denied user={} client={} scope={}", flow.subject(), request.clientId(),
                        request.scope());
                return denied;
            }
            if (consentId.isPresent()) {
                ConsentPlayback.Choice choice = playback.choose(consentId.get(), flow.subject(), flow.username(),
                        accounts);
                if (!choice.problem().isEmpty()) {
                    return FlowStep.show(toPage(flow, null).withMessage(choice.problem()));
                }
                return approve(found.get(), consentId.get(), choice.accounts());
            }
            return approve(found.get(), null, java.util.List.of());
        } catch (RuntimeException e) {
            return unavailable("Consent", e);
        }
    }

    /**
     * Issues first and ends the flow after, in one compare-and-set: a node that dies in between leaves the
     * flow at consent (the PSU answers again, on any node) and a code that was never sent, which expires.
     * Of two approvals of one consent only the one that ends the flow hands out its code; the other's
     * grant is revoked at once, so its code is refused by the database (DESIGN rule 9).
     */
    private FlowStep approve(FlowStore.Read read, String consentId, java.util.List<String> accounts) {
        Flow flow = read.flow();
        PushedRequest request = flow.request();
        if (consentId != null) {
            // The consent first: a consent that cannot be authorised (the TPP deleted it, it expired, another
            // window decided it) gets no grant; its client hears access_denied.
            Optional<String> refusal = authorise(consentId, flow.subject(), accounts);
            if (refusal.isPresent()) {
                FlowStep denied = responses.error(request, OAuth2Error.ACCESS_DENIED.setDescription(refusal.get()));
                return flows.end(read) ? denied : FlowStep.failed(ANSWERED);
            }
        }
        Instant now = clock.instant();
        Grant grant = new Grant(Randoms.token(), request.clientId(), flow.subject(), request.scope(),
                details(flow, consentId), now, now.plus(settings.refreshTokenLifetime()), null);
        grants.createGrant(grant);
        String code = codes.issue(grant.grantId(), request, flow.subject(), flow.authTime(), settings.acr());
        String idToken = null;
        if (AuthorizationResponses.isHybrid(request)) {
            String registeredAlg = clients.find(request.clientId()).map(c -> c.software().idTokenSignedResponseAlg())
                    .orElse(null);
            idToken = idTokens.issue(request.clientId(), registeredAlg, flow.subject(), flow.authTime(), settings.acr(),
                    request.nonce(), null, new AuthorizationCode(code),
                    request.state() == null ? null : new State(request.state()), consentId);
        }
        FlowStep response;
        try {
            response = responses.success(request, new AuthorizationCode(code), idToken);
        } catch (RuntimeException e) {
            // The code is never sent (no key to encrypt it to, say): its grant goes with it; the flow stays at consent.
            grants.revokeGrant(grant.grantId(), clock.instant());
            throw e;
        }
        stall.inStep("consent");
        if (!flows.end(read)) {
            grants.revokeGrant(grant.grantId(), clock.instant());
            LOG.info("Consent for client {} was answered twice; the second answer's grant {} is revoked unused",
                    request.clientId(), grant.grantId());
            return FlowStep.failed(ANSWERED);
        }
        AUDIT.info("consent granted user={} client={} scope={} grant={}", flow.subject(), request.clientId(),
                request.scope(), grant.grantId());
        return response;
    }

    /** Authorises the consent with the accounts; the reason it cannot be, if so. */
    private Optional<String> authorise(String consentId, String subject, java.util.List<String> accounts) {
        ConsentService consents = playback.consents();
        if (consents == null) {
            return Optional.of("this server holds no open-banking consents");
        }
        try {
            consents.authorise(consentId, subject, accounts, "psu:" + subject);
            AUDIT.info("consent {} authorised user={} accounts={}", consentId, subject, accounts.size());
            return Optional.empty();
        } catch (ConsentStateException | java.util.NoSuchElementException e) {
            LOG.info("Consent {} could not be authorised: {}", consentId, e.getMessage());
            return Optional.of("the consent can no longer be authorised");
        }
    }

    /** A denied consent is Rejected; one authorised before (a re-authentication that was denied) stays as it is. */
    private void reject(String consentId, String subject, String reason) {
        ConsentService consents = playback.consents();
        if (consents == null) {
            return;
        }
        try {
            consents.transition(consentId, ConsentStatus.AWAITING_AUTHORISATION, ConsentStatus.REJECTED,
                    "psu:" + subject, reason);
            AUDIT.info("consent {} rejected user={}", consentId, subject);
        } catch (ConsentStateException | java.util.NoSuchElementException e) {
            LOG.info("Consent {} was not rejected: {}", consentId, e.getMessage());
        }
    }

    /** A page for people: every failure reads "try again"; only a defect is logged with its stack. */
    private static FlowStep unavailable(String step, RuntimeException e) {
        Optional<String> passing = Failures.unavailability(e);
        if (passing.isPresent()) {
            LOG.warn("{} step: {}", step, passing.get());
        } else {
            LOG.error("{} step failed", step, e);
        }
        return FlowStep.failed(UNAVAILABLE);
    }

    private FlowPage toPage(Flow flow, String message) {
        PushedRequest r = flow.request();
        String clientName = clients.find(r.clientId()).map(Client::name).filter(n -> n != null && !n.isBlank())
                .orElse(r.clientId());
        boolean consent = flow.stage() == FlowPage.Stage.CONSENT;
        ConsentDetails details = consent ? ConsentBinding.intentOf(r)
                .flatMap(id -> playback.details(id, flow.subject(), flow.username())).orElse(null) : null;
        return new FlowPage(flow.flowId(), flow.stage(), flow.csrf(), clientName, r.clientId(),
                consent ? flow.userName() : null, consent ? describer.describe(r.scope()) : null,
                consent ? null : flow.username(), message, details);
    }

    private URI pageUri(String path, String flowId) {
        // Relative: the next page is on the host the browser is on.
        return URI.create(path + "?flow=" + URLEncoder.encode(flowId, StandardCharsets.US_ASCII));
    }

    private String details(Flow flow, String consentId) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (consentId != null) {
            m.put(ConsentBinding.CLAIM, consentId);
        }
        m.put("auth_time", flow.authTime());
        m.put("acr", settings.acr());
        m.put("domain", flow.domain());
        m.put("username", flow.username());
        m.put("profile", flow.request().profile());
        if (flow.request().authorizationDetails() != null) {
            m.put("authorization_details", flow.request().authorizationDetails());
        }
        if (flow.request().dpopJkt() != null) {
            m.put("dpop_jkt", flow.request().dpopJkt());
        }
        return JSONObjectUtils.toJSONString(m);
    }

    private static boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }
}
