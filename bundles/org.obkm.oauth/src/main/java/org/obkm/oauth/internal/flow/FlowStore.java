package org.obkm.oauth.internal.flow;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.obkm.api.cluster.SharedState;
import org.obkm.api.flow.FlowPage;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.request.PushedRequest;
import org.obkm.oauth.internal.token.Randoms;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorization flows in the cluster's shared state (map {@value #MAP}), encrypted and authenticated by
 * {@link SharedState}. A step takes the flow out atomically before it writes the next state, so two
 * posts of the same form (two tabs, a double click, two nodes) cannot both move it on.
 *
 * @throws org.obkm.api.cluster.ClusterUnavailableException from every method while this node has not joined
 */
@Component(service = FlowStore.class)
public final class FlowStore {

    static final String MAP = "flow";
    private static final Logger LOG = LoggerFactory.getLogger(FlowStore.class);

    private final SharedState state;
    private final ServerSettings settings;
    private final Clock clock;

    @Activate
    public FlowStore(@Reference SharedState state, @Reference ServerSettings settings) {
        this(state, settings, Clock.systemUTC());
    }

    public FlowStore(SharedState state, ServerSettings settings, Clock clock) {
        this.state = state;
        this.settings = settings;
        this.clock = clock;
    }

    /** Starts a flow for a pushed request in this browser. */
    public Flow start(PushedRequest request, String browserKey) {
        Flow flow = new Flow(Randoms.token(), browserKey, Randoms.token(), FlowPage.Stage.LOGIN, request, 0, null, null,
                null, null, 0, clock.millis() + settings.loginFlowLifetime().toMillis());
        if (!put(flow)) {
            throw new IllegalStateException("flow id collision");
        }
        return flow;
    }

    /** The live flow of this browser, unchanged. */
    public Optional<Flow> find(String flowId, String browserKey) {
        if (!Randoms.isToken(flowId) || browserKey == null) {
            return Optional.empty();
        }
        return state.get(MAP, flowId).flatMap(this::read)
                .filter(f -> f.browserKey().equals(browserKey) && clock.millis() < f.expiresAt());
    }

    /** Takes the flow out atomically; at most one caller in the cluster gets it. */
    public Optional<Flow> take(String flowId) {
        return Randoms.isToken(flowId) ? state.consume(MAP, flowId).flatMap(this::read)
                .filter(f -> clock.millis() < f.expiresAt()) : Optional.empty();
    }

    /** Stores the flow's next state for the rest of its lifetime; false if one is stored already. */
    public boolean put(Flow flow) {
        long left = flow.expiresAt() - clock.millis();
        if (left <= 0) {
            return false;
        }
        return state.putIfAbsent(MAP, flow.flowId(), flow.toJson().getBytes(StandardCharsets.UTF_8),
                Duration.ofMillis(left));
    }

    private Optional<Flow> read(byte[] bytes) {
        try {
            return Optional.of(Flow.parse(new String(bytes, StandardCharsets.UTF_8)));
        } catch (ParseException e) {
            LOG.warn("Unreadable authorization flow dropped: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
