package org.obkm.oauth.internal.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.ParFixture;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.policy.ClientProfiles;
import org.obkm.oauth.internal.request.PushedRequest;
import org.obkm.oauth.internal.request.PushedRequests;
import org.obkm.oauth.internal.token.Randoms;

/**
 * The authorization endpoint's take-up of a request_uri (RFC 9126 §4): the same browser reloading before
 * the flow ended is sent back to its flow; another browser, and any reload after the flow ended, is refused;
 * every node decides alike (nothing but shared state).
 */
public class FlowEntranceTest {

    private static final PushedRequest REQUEST = new PushedRequest(ParFixture.CLIENT_ID, ParFixture.REDIRECT_URI,
            "code", "openid accounts", "st-1", "n-1", ParFixture.CHALLENGE, "S256", null, "fapi2", null);

    private final InMemorySharedState state = new InMemorySharedState();
    private final ServerSettings settings = TestSettings.defaults();
    private final FlowStore flows = new FlowStore(state, settings);
    private final PushedRequests pushed = new PushedRequests(state);
    private final TestSettings config = new TestSettings();
    private final FlowEntrance node1 = new FlowEntrance(pushed, flows, new ClientProfiles(config, Map.of()));
    /** Another node: its own objects over the same shared state. */
    private final FlowEntrance node2 = new FlowEntrance(new PushedRequests(state), new FlowStore(state, settings),
            new ClientProfiles(config, Map.of()));

    @Test
    public void firstPresentationStartsAFlowInANewBrowser() {
        FlowEntrance.Entry e = node1.enter(ParFixture.CLIENT, pushed.push(REQUEST).toString(), null);
        assertNull(e.refusal());
        assertNotNull(e.flowId());
        assertEquals(true, Randoms.isToken(e.browserKey()), "a new browser key for the cookie");
    }

    @Test
    public void sameBrowserReloadingBeforeTheFlowEndedGetsTheSameFlowOnAnyNode() {
        String uri = pushed.push(REQUEST).toString();
        FlowEntrance.Entry first = node1.enter(ParFixture.CLIENT, uri, null);
        FlowEntrance.Entry reload = node2.enter(ParFixture.CLIENT, uri, first.browserKey());
        assertNull(reload.refusal());
        assertEquals(first.flowId(), reload.flowId());
        assertEquals(first.browserKey(), reload.browserKey());
        assertEquals(first.flowId(), node1.enter(ParFixture.CLIENT, uri, first.browserKey()).flowId());
    }

    @Test
    public void anotherBrowserPresentingATakenRequestUriIsRefused() {
        String uri = pushed.push(REQUEST).toString();
        FlowEntrance.Entry first = node1.enter(ParFixture.CLIENT, uri, Randoms.token());
        assertEquals(FlowEntrance.TAKEN, node2.enter(ParFixture.CLIENT, uri, null).refusal(), "no cookie");
        assertEquals(FlowEntrance.TAKEN, node2.enter(ParFixture.CLIENT, uri, Randoms.token()).refusal(),
                "another browser's cookie");
        assertEquals(first.flowId(), node1.enter(ParFixture.CLIENT, uri, first.browserKey()).flowId(),
                "and the first browser's flow goes on");
    }

    @Test
    public void reloadAfterTheFlowEndedIsRefused() {
        String uri = pushed.push(REQUEST).toString();
        FlowEntrance.Entry first = node1.enter(ParFixture.CLIENT, uri, null);
        // The code was issued (or denied): the flow ends in one compare-and-remove.
        flows.end(flows.read(first.flowId(), first.browserKey()).orElseThrow());
        assertEquals(FlowEntrance.TAKEN, node2.enter(ParFixture.CLIENT, uri, first.browserKey()).refusal());
    }

    @Test
    public void unknownOrForeignRequestUrisAreRefused() {
        assertEquals(FlowEntrance.GONE, node1.enter(ParFixture.CLIENT, PushedRequests.URN_PREFIX + "nope", null)
                .refusal());
        String uri = pushed.push(REQUEST).toString();
        assertEquals(FlowEntrance.GONE, node1.enter(ParFixture.client("tpp-2", java.util.Set.of("authorization_code")),
                uri, null).refusal());
    }
}
