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

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.api.cluster.ClusterUnavailableException;
import org.obkm.api.flow.AuthorizationFlows;
import org.obkm.api.flow.FlowPage;
import org.obkm.api.flow.FlowStep;
import org.obkm.api.token.Grant;
import org.obkm.api.token.GrantStore;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.User;
import org.obkm.api.user.UserStoreRegistry;
import org.obkm.oauth.internal.ServerSettings;
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
 * cluster's shared state and takes it out atomically before writing the next state (see
 * {@link FlowStore}). Approval records the grant in the database and issues a code; denial, and too many
 * wrong passwords within one flow, return {@code access_denied} to the client.
 */
@Component(service = AuthorizationFlows.class)
public final class AuthorizationFlowsImpl implements AuthorizationFlows {

    static final String EXPIRED = "This sign-in link has expired or was opened in another browser."
            + " Please return to the application and start again.";
    static final String FORM_EXPIRED = "This form has expired. Please return to the application and start again.";
    static final String UNAVAILABLE = "Sign-in is temporarily unavailable. Please try again in a moment.";
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
    private final Clock clock;

    @Activate
    public AuthorizationFlowsImpl(@Reference FlowStore flows, @Reference UserStoreRegistry users,
            @Reference ClientService clients, @Reference GrantStore grants, @Reference AuthorizationCodes codes,
            @Reference IdTokenIssuer idTokens, @Reference ConsentDescriber describer,
            @Reference ServerSettings settings) {
        this.flows = flows;
        this.users = users;
        this.clients = clients;
        this.grants = grants;
        this.codes = codes;
        this.idTokens = idTokens;
        this.describer = describer;
        this.settings = settings;
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
            Optional<Flow> found = flows.find(flowId, browserKey);
            if (found.isEmpty()) {
                return FlowStep.failed(EXPIRED);
            }
            Flow flow = found.get();
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
            Optional<Flow> taken = flows.take(flowId);
            if (taken.isEmpty() || !taken.get().browserKey().equals(browserKey)
                    || taken.get().stage() != FlowPage.Stage.LOGIN) {
                return FlowStep.failed("This sign-in was already completed in another window."
                        + " Please return to the application.");
            }
            flow = taken.get();
            if (result.isOk()) {
                User user = result.user();
                Flow next = flow.signedIn(user.subject(), user.domain(), user.username(),
                        user.displayName().isEmpty() ? user.username() : user.displayName(), clock.instant().getEpochSecond());
                flows.put(next);
                AUDIT.info("sign-in ok user={} client={}", user.subject(), flow.request().clientId());
                return FlowStep.redirect(pageUri(AuthorizationFlows.CONSENT_PATH, flowId));
            }
            if (result.outcome() == AuthenticationResult.Outcome.UNAVAILABLE) {
                flows.put(flow);
                return FlowStep.show(toPage(flow, null).withMessage(result.message()));
            }
            Flow next = flow.withFailedAttempt(name);
            AUDIT.info("sign-in refused ({}) client={} attempt={}", result.outcome(), flow.request().clientId(),
                    next.attempts());
            if (next.attempts() >= settings.maxSignInAttemptsPerFlow()) {
                return FlowStep.redirect(AuthorizationResponses.error(flow.request(), settings.issuer(),
                        OAuth2Error.ACCESS_DENIED.setDescription("too many failed sign-in attempts")));
            }
            flows.put(next);
            return FlowStep.show(toPage(next, null).withMessage(result.message()));
        } catch (ClusterUnavailableException e) {
            return FlowStep.failed(UNAVAILABLE);
        } catch (RuntimeException e) {
            LOG.error("Sign-in step failed", e);
            return FlowStep.failed(UNAVAILABLE);
        }
    }

    @Override
    public FlowStep decide(String flowId, String browserKey, String csrfToken, boolean approve) {
        try {
            Optional<Flow> found = flows.find(flowId, browserKey);
            if (found.isEmpty()) {
                return FlowStep.failed(EXPIRED);
            }
            if (!sameToken(found.get().csrf(), csrfToken)) {
                LOG.warn("Consent form posted with a wrong CSRF token; ignored");
                return FlowStep.failed(FORM_EXPIRED);
            }
            if (found.get().stage() != FlowPage.Stage.CONSENT) {
                return FlowStep.redirect(pageUri(AuthorizationFlows.LOGIN_PATH, flowId));
            }
            Optional<Flow> taken = flows.take(flowId);
            if (taken.isEmpty() || !taken.get().browserKey().equals(browserKey)) {
                return FlowStep.failed("This request was already answered in another window."
                        + " Please return to the application.");
            }
            Flow flow = taken.get();
            PushedRequest request = flow.request();
            if (!approve) {
                AUDIT.info("consent denied user={} client={} scope={}", flow.subject(), request.clientId(),
                        request.scope());
                return FlowStep.redirect(AuthorizationResponses.error(request, settings.issuer(),
                        OAuth2Error.ACCESS_DENIED.setDescription("the user denied the request")));
            }
            Instant now = clock.instant();
            Grant grant = new Grant(Randoms.token(), request.clientId(), flow.subject(), request.scope(),
                    details(flow), now, now.plus(settings.refreshTokenLifetime()), null);
            grants.createGrant(grant);
            String code = codes.issue(grant.grantId(), request, flow.subject(), flow.authTime(), settings.acr());
            AUDIT.info("consent granted user={} client={} scope={} grant={}", flow.subject(), request.clientId(),
                    request.scope(), grant.grantId());
            String idToken = null;
            if (AuthorizationResponses.isHybrid(request)) {
                idToken = idTokens.issue(request.clientId(), flow.subject(), flow.authTime(), settings.acr(),
                        request.nonce(), null, new AuthorizationCode(code),
                        request.state() == null ? null : new State(request.state()));
            }
            return FlowStep.redirect(AuthorizationResponses.success(request, settings.issuer(),
                    new AuthorizationCode(code), idToken));
        } catch (ClusterUnavailableException e) {
            return FlowStep.failed(UNAVAILABLE);
        } catch (RuntimeException e) {
            LOG.error("Consent step failed", e);
            return FlowStep.failed(UNAVAILABLE);
        }
    }

    private FlowPage toPage(Flow flow, String message) {
        PushedRequest r = flow.request();
        String clientName = clients.find(r.clientId()).map(Client::name).filter(n -> n != null && !n.isBlank())
                .orElse(r.clientId());
        boolean consent = flow.stage() == FlowPage.Stage.CONSENT;
        return new FlowPage(flow.flowId(), flow.stage(), flow.csrf(), clientName, r.clientId(),
                consent ? flow.userName() : null, consent ? describer.describe(r.scope()) : null,
                consent ? null : flow.username(), message);
    }

    private URI pageUri(String path, String flowId) {
        // Relative: the next page is on the host the browser is on.
        return URI.create(path + "?flow=" + URLEncoder.encode(flowId, StandardCharsets.US_ASCII));
    }

    private String details(Flow flow) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("auth_time", flow.authTime());
        m.put("acr", settings.acr());
        m.put("domain", flow.domain());
        m.put("username", flow.username());
        m.put("profile", flow.request().profile());
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
