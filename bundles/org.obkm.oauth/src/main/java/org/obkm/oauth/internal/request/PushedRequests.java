package org.obkm.oauth.internal.request;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.obkm.api.cluster.SharedState;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Pushed authorization requests in the cluster's shared state (RFC 9126 §2.2): each under a request_uri
 * of 256 random bits, for 60 seconds, bound to the client that pushed it, and taken up at most once in
 * the whole cluster, by one flow in one browser ({@link #claim}). Presented again by that browser while
 * the flow is unfinished, it leads back to that flow (RFC 9126 §4; the conformance suite reloads the
 * authorization URL before signing in); by another browser, or after the flow ended, it leads nowhere.
 * The value is encrypted and authenticated by {@link SharedState} before it leaves this node.
 */
@Component(service = PushedRequests.class)
public final class PushedRequests {

    public static final String MAP = "par";
    public static final String URN_PREFIX = "urn:ietf:params:oauth:request_uri:";
    /** FAPI 2.0 Security Profile §5.3.2.2: expires_in of less than 600 s; 60 s is what the issue asks. */
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final String EXPIRES_AT = "expires_at";
    private static final String FLOW = "taken_up_by_flow";
    private static final String BROWSER = "browser_sha256";
    private static final int RANDOM_BYTES = 32;
    private static final Logger LOG = LoggerFactory.getLogger(PushedRequests.class);

    private final SharedState state;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Activate
    public PushedRequests(@Reference SharedState state) {
        this(state, Clock.systemUTC());
    }

    public PushedRequests(SharedState state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    /**
     * Keeps a validated request for {@link #LIFETIME} and returns its request_uri.
     *
     * @throws org.obkm.api.cluster.ClusterUnavailableException while this node has not joined the cluster
     *         ({@link Failures} answers it 503)
     */
    public URI push(PushedRequest request) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String requestUri = URN_PREFIX + Base64URL.encode(bytes);
        Map<String, Object> json = request.toJsonObject();
        // Hazelcast's TTL removes it; the embedded expiry makes every reader agree even before that runs.
        json.put(EXPIRES_AT, clock.instant().plus(LIFETIME).toEpochMilli());
        if (!state.putIfAbsent(MAP, requestUri, JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8),
                LIFETIME)) {
            throw new IllegalStateException("request_uri collision");
        }
        return URI.create(requestUri);
    }

    /**
     * What a request_uri holds when the authorization endpoint is called with it: the pushed request while
     * no browser has taken it up, then only the flow that took it up and a hash of that browser's key
     * (RFC 9126 §4: the request_uri may be presented again while that flow is unfinished).
     *
     * @param request the pushed request, or {@code null} once taken up
     * @param flowId the flow that took it up, or {@code null} before
     * @param browserHash SHA-256 of the browser key of that flow, or {@code null} before
     * @param stored the bytes as read, for the compare-and-set of {@link #claim} or {@link #discard}
     */
    public record Presented(PushedRequest request, String flowId, String browserHash, byte[] stored) {

        public boolean takenUp() {
            return flowId != null;
        }

        /** Whether this browser key is the one of the browser that took it up. */
        public boolean takenUpBy(String browserKey) {
            return takenUp() && browserKey != null && MessageDigest.isEqual(
                    browserHash.getBytes(StandardCharsets.US_ASCII), hash(browserKey).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * What the request_uri holds, when it is live and this client pushed it. Presented by another client
     * before it was taken up, it is gone all the same: a request_uri in the wrong hands has leaked, and
     * burning it is the safe side.
     *
     * @return empty for an unknown, expired or foreign request_uri
     * @throws org.obkm.api.cluster.ClusterUnavailableException while this node has not joined the cluster
     */
    public Optional<Presented> find(String requestUri, String clientId) {
        if (requestUri == null || !requestUri.startsWith(URN_PREFIX) || requestUri.length() > 256) {
            return Optional.empty();
        }
        Optional<byte[]> stored = state.get(MAP, requestUri);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            Map<String, Object> json = JSONObjectUtils.parse(new String(stored.get(), StandardCharsets.UTF_8));
            Instant expiresAt = Instant.ofEpochMilli(JSONObjectUtils.getLong(json, EXPIRES_AT));
            String owner = JSONObjectUtils.getString(json, "client_id");
            if (!clock.instant().isBefore(expiresAt)) {
                return Optional.empty();
            }
            String flowId = JSONObjectUtils.getString(json, FLOW);
            if (!clientId.equals(owner)) {
                LOG.warn("Client {} presented a request_uri pushed by client {}{}", clientId, owner,
                        flowId == null ? "; it is void now" : "");
                if (flowId == null) {
                    state.remove(MAP, requestUri, stored.get());
                }
                return Optional.empty();
            }
            if (flowId != null) {
                return Optional.of(new Presented(null, flowId, JSONObjectUtils.getString(json, BROWSER), stored.get()));
            }
            return Optional.of(new Presented(PushedRequest.parse(json), null, null, stored.get()));
        } catch (ParseException e) {
            LOG.warn("Unreadable pushed request dropped: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Takes the pushed request up for a flow, in one compare-and-set: from now on the request_uri leads only
     * to that flow, in that browser, until {@code until} (the flow's end); it can start no other.
     *
     * @return false when another call took it up (or it expired) meanwhile: re-read and decide again
     */
    public boolean claim(String requestUri, Presented unclaimed, String flowId, String browserKey, Instant until) {
        Duration left = Duration.between(clock.instant(), until);
        if (unclaimed.takenUp() || left.isNegative() || left.isZero()) {
            return false;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("client_id", unclaimed.request().clientId());
        json.put(FLOW, flowId);
        json.put(BROWSER, hash(browserKey));
        json.put(EXPIRES_AT, until.toEpochMilli());
        return state.replace(MAP, requestUri, unclaimed.stored(),
                JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8), left);
    }

    /** Removes the request_uri if it still holds what was read (a request its client's profile refused). */
    public void discard(String requestUri, Presented presented) {
        state.remove(MAP, requestUri, presented.stored());
    }

    static String hash(String browserKey) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256")
                    .digest(browserKey.getBytes(StandardCharsets.US_ASCII))).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
