package org.obkm.oauth.internal.flow;

import java.time.Instant;
import java.util.Optional;

import org.obkm.api.client.Client;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.policy.ClientProfiles;
import org.obkm.oauth.internal.policy.PolicyContext;
import org.obkm.oauth.internal.request.PushedRequests;
import org.obkm.oauth.internal.request.PushedRequests.Presented;
import org.obkm.oauth.internal.token.Randoms;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization endpoint's decision for a {@code client_id} and {@code request_uri} in a browser
 * (RFC 9126 §4): the first presentation takes the pushed request up for a new flow bound to the browser
 * (after the client's profile at the authorization event); the same browser presenting it again while
 * that flow is unfinished is sent back to it, the sign-in page again (the one-time use is enforced at the
 * point of authorization, as the FAPI conformance suite's "reused request_uri prior to auth completion"
 * checks); another browser, or any after the flow ended (code issued, denied, expired), is refused.
 * All of it in shared state (no node holds the binding), each change one compare-and-set.
 */
@Component(service = FlowEntrance.class)
public final class FlowEntrance {

    static final String GONE = "The authorization request has expired, was already used or was not"
            + " made by this application. Please return to the application and start again.";
    static final String TAKEN = "This authorization request is already in use in another browser, or was"
            + " already completed. Please return to the application and start again.";
    static final String REFUSED = "The application's authorization request does not meet this bank's"
            + " requirements for it. Please return to the application.";
    private static final Logger LOG = LoggerFactory.getLogger(FlowEntrance.class);

    private final PushedRequests pushed;
    private final FlowStore flows;
    private final ClientProfiles profiles;

    /**
     * The outcome.
     *
     * @param flowId the flow to send the browser to, or {@code null} when refused
     * @param browserKey the browser key the flow is bound to (to set as the cookie), or {@code null}
     * @param refusal a sentence for the person when refused, else {@code null}
     */
    public record Entry(String flowId, String browserKey, String refusal) {

        static Entry refused(String why) {
            return new Entry(null, null, why);
        }
    }

    @Activate
    public FlowEntrance(@Reference PushedRequests pushed, @Reference FlowStore flows,
            @Reference ClientProfiles profiles) {
        this.pushed = pushed;
        this.flows = flows;
        this.profiles = profiles;
    }

    /**
     * @param browserKey the browser's {@code OBKM_BROWSER} cookie value when it has a valid one, else null
     * @throws org.obkm.api.cluster.ClusterUnavailableException while this node has not joined the cluster
     */
    public Entry enter(Client client, String requestUri, String browserKey) {
        for (int round = 0; round < 2; round++) {
            Optional<Presented> found = pushed.find(requestUri, client.clientId());
            if (found.isEmpty()) {
                return Entry.refused(GONE);
            }
            Presented p = found.get();
            if (p.takenUp()) {
                return resume(p, browserKey);
            }
            try {
                profiles.enforce(PolicyContext.authorization(client, p.request()));
            } catch (OAuthException e) {
                // Shown, never redirected: the request's redirect URI is not trusted past a refusal of the policy.
                pushed.discard(requestUri, p);
                return Entry.refused(REFUSED);
            }
            String key = browserKey == null ? Randoms.token() : browserKey;
            Flow flow = flows.start(p.request(), key);
            if (pushed.claim(requestUri, p, flow.flowId(), key, Instant.ofEpochMilli(flow.expiresAt()))) {
                return new Entry(flow.flowId(), key, null);
            }
            // Another tab or node took it up meanwhile: this flow never existed for anyone; decide on what is stored.
            flows.discard(flow);
        }
        return Entry.refused(TAKEN);
    }

    private Entry resume(Presented p, String browserKey) {
        if (p.takenUpBy(browserKey) && flows.find(p.flowId(), browserKey).isPresent()) {
            return new Entry(p.flowId(), browserKey, null);
        }
        LOG.info("A request_uri already taken up was presented {}", p.takenUpBy(browserKey)
                ? "again after its flow ended" : "by another browser; refused");
        return Entry.refused(TAKEN);
    }
}
