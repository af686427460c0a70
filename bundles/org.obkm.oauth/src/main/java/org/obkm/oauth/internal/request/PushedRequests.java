package org.obkm.oauth.internal.request;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.obkm.api.cluster.ClusterUnavailableException;
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
 * of 256 random bits, for 60 seconds, bound to the client that pushed it, and consumed at most once in
 * the whole cluster. The value is encrypted and authenticated by {@link SharedState} before it leaves
 * this node.
 */
@Component(service = PushedRequests.class)
public final class PushedRequests {

    public static final String MAP = "par";
    public static final String URN_PREFIX = "urn:ietf:params:oauth:request_uri:";
    /** FAPI 2.0 Security Profile §5.3.2.2: expires_in of less than 600 s; 60 s is what the issue asks. */
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final String EXPIRES_AT = "expires_at";
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

    /** Keeps a validated request for {@link #LIFETIME} and returns its request_uri. */
    public URI push(PushedRequest request) throws OAuthException {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String requestUri = URN_PREFIX + Base64URL.encode(bytes);
        Map<String, Object> json = request.toJsonObject();
        // Hazelcast's TTL removes it; the embedded expiry makes every reader agree even before that runs.
        json.put(EXPIRES_AT, clock.instant().plus(LIFETIME).toEpochMilli());
        try {
            if (!state.putIfAbsent(MAP, requestUri, JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8),
                    LIFETIME)) {
                throw new IllegalStateException("request_uri collision");
            }
        } catch (ClusterUnavailableException e) {
            throw Errors.temporarilyUnavailable("the node is joining its cluster; retry shortly");
        }
        return URI.create(requestUri);
    }

    /**
     * Removes the pushed request atomically, cluster-wide, and returns it when it has not expired and
     * belongs to this client. Presented by another client it is gone all the same: a request_uri in the
     * wrong hands has leaked, and burning it is the safe side.
     *
     * @return empty for an unknown, used, expired or foreign request_uri
     * @throws OAuthException {@code temporarily_unavailable} while this node has not joined the cluster
     */
    public Optional<PushedRequest> consume(String requestUri, String clientId) throws OAuthException {
        if (requestUri == null || !requestUri.startsWith(URN_PREFIX) || requestUri.length() > 256) {
            return Optional.empty();
        }
        Optional<byte[]> stored;
        try {
            stored = state.consume(MAP, requestUri);
        } catch (ClusterUnavailableException e) {
            throw Errors.temporarilyUnavailable("the node is joining its cluster; retry shortly");
        }
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            Map<String, Object> json = JSONObjectUtils.parse(new String(stored.get(), StandardCharsets.UTF_8));
            Instant expiresAt = Instant.ofEpochMilli(JSONObjectUtils.getLong(json, EXPIRES_AT));
            PushedRequest request = PushedRequest.parse(json);
            if (!clock.instant().isBefore(expiresAt)) {
                return Optional.empty();
            }
            if (!request.clientId().equals(clientId)) {
                LOG.warn("Client {} presented a request_uri pushed by client {}; it is void now", clientId,
                        request.clientId());
                return Optional.empty();
            }
            return Optional.of(request);
        } catch (ParseException e) {
            LOG.warn("Unreadable pushed request dropped: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
