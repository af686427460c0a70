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
 * {@link SharedState}. A step reads the flow and moves it on with one compare-and-set
 * ({@link #advance}, {@link #end}), so the flow is never out of the map (DESIGN rule 6: a node that dies
 * inside a step leaves it as it was), and of two posts of the same form (two tabs, a double click, two
 * nodes) only one moves it on.
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
    Optional<Flow> find(String flowId, String browserKey) {
        return read(flowId, browserKey).map(Read::flow);
    }

    /** The live flow of this browser with the bytes it is stored as, for a step's compare-and-set. */
    Optional<Read> read(String flowId, String browserKey) {
        if (!Randoms.isToken(flowId) || browserKey == null) {
            return Optional.empty();
        }
        return state.get(MAP, flowId).flatMap(bytes -> parse(bytes).map(f -> new Read(f, bytes)))
                .filter(r -> r.flow().browserKey().equals(browserKey) && clock.millis() < r.flow().expiresAt());
    }

    /**
     * Moves the flow to its next state in one atomic change: only if it is still stored as it was read.
     *
     * @return false when another step changed or ended it meanwhile (nothing written: re-read and decide)
     */
    boolean advance(Read read, Flow next) {
        long left = next.expiresAt() - clock.millis();
        return left > 0 && state.replace(MAP, next.flowId(), read.stored(),
                next.toJson().getBytes(StandardCharsets.UTF_8), Duration.ofMillis(left));
    }

    /** Ends the flow, only if it is still stored as it was read: of concurrent steps one ends it. */
    boolean end(Read read) {
        return state.remove(MAP, read.flow().flowId(), read.stored());
    }

    private boolean put(Flow flow) {
        long left = flow.expiresAt() - clock.millis();
        if (left <= 0) {
            return false;
        }
        return state.putIfAbsent(MAP, flow.flowId(), flow.toJson().getBytes(StandardCharsets.UTF_8),
                Duration.ofMillis(left));
    }

    /** Removes a flow just started that nobody was sent to (it lost the take-up of its request_uri). */
    void discard(Flow flow) {
        read(flow.flowId(), flow.browserKey()).ifPresent(this::end);
    }

    /** A flow as read and the exact bytes it was read as (the expected value of a compare-and-set). */
    record Read(Flow flow, byte[] stored) {
    }

    private Optional<Flow> parse(byte[] bytes) {
        try {
            return Optional.of(Flow.parse(new String(bytes, StandardCharsets.UTF_8)));
        } catch (ParseException e) {
            LOG.warn("Unreadable authorization flow dropped: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
