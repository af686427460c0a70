package org.obkm.oauth.internal.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.obkm.api.cluster.ClusterUnavailableException;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ParFixture;

/** The request_uri store: taken up once, bound to the client and then to one flow, 60 seconds, JSON in shared state. */
public class PushedRequestsTest {

    /** A clock the test moves forward instead of sleeping. */
    private static final class TestClock extends Clock {
        Instant now = ParFixture.NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static final PushedRequest REQUEST = new PushedRequest("tpp-1", "https://tpp.example/cb", "code id_token",
            "openid accounts", "st", "n", ParFixture.CHALLENGE, "S256", "{\"id_token\":{\"acr\":null}}", "fapi1-advanced",
            "jkt-1", "fragment.jwt");
    private static final Instant FLOW_END = ParFixture.NOW.plusSeconds(600);

    private final InMemorySharedState state = new InMemorySharedState();
    private final TestClock clock = new TestClock();
    private final PushedRequests store = new PushedRequests(state, clock);

    @Test
    public void returnsTheRequestToItsClientWithEveryField() throws Exception {
        URI uri = store.push(REQUEST);
        assertEquals(REQUEST, store.find(uri.toString(), "tpp-1").orElseThrow().request());
    }

    @Test
    public void requestUriIsTakenUpByOneFlowOnly() throws Exception {
        String uri = store.push(REQUEST).toString();
        PushedRequests.Presented first = store.find(uri, "tpp-1").orElseThrow();
        PushedRequests.Presented concurrent = store.find(uri, "tpp-1").orElseThrow();
        assertTrue(store.claim(uri, first, "flow-1", "browser-a", FLOW_END));
        assertFalse(store.claim(uri, concurrent, "flow-2", "browser-b", FLOW_END), "the second take-up loses");
        PushedRequests.Presented taken = store.find(uri, "tpp-1").orElseThrow();
        assertTrue(taken.takenUp());
        assertNull(taken.request(), "once taken up it can start no other flow");
        assertEquals("flow-1", taken.flowId());
        assertTrue(taken.takenUpBy("browser-a"));
        assertFalse(taken.takenUpBy("browser-b"));
        assertFalse(taken.takenUpBy(null));
        assertFalse(store.claim(uri, taken, "flow-3", "browser-a", FLOW_END));
    }

    @Test
    public void takenUpRequestUriLeadsToItsFlowUntilTheFlowEnds() throws Exception {
        String uri = store.push(REQUEST).toString();
        assertTrue(store.claim(uri, store.find(uri, "tpp-1").orElseThrow(), "flow-1", "browser-a", FLOW_END));
        clock.now = ParFixture.NOW.plusSeconds(120);
        assertEquals("flow-1", store.find(uri, "tpp-1").orElseThrow().flowId(), "past the 60 s of the push");
        clock.now = FLOW_END;
        assertEquals(Optional.empty(), store.find(uri, "tpp-1"));
    }

    @Test
    public void keepsOnlyAHashOfTheBrowserKey() throws Exception {
        String uri = store.push(REQUEST).toString();
        store.claim(uri, store.find(uri, "tpp-1").orElseThrow(), "flow-1", "browser-key-secret", FLOW_END);
        String stored = new String(state.values.get("par/" + uri), StandardCharsets.UTF_8);
        assertFalse(stored.contains("browser-key-secret"), stored);
        assertFalse(stored.contains("redirect_uri"), "the request is gone once taken up: " + stored);
    }

    @Test
    public void requestUriIsBoundToTheClient() throws Exception {
        String uri = store.push(REQUEST).toString();
        assertEquals(Optional.empty(), store.find(uri, "tpp-2"));
        // Presented by the wrong client it is void: it leaked.
        assertEquals(Optional.empty(), store.find(uri, "tpp-1"));
    }

    @Test
    public void discardRemovesARefusedRequest() throws Exception {
        String uri = store.push(REQUEST).toString();
        store.discard(uri, store.find(uri, "tpp-1").orElseThrow());
        assertEquals(Optional.empty(), store.find(uri, "tpp-1"));
    }

    @Test
    public void requestUriExpiresIn60Seconds() throws Exception {
        String first = store.push(REQUEST).toString();
        String second = store.push(REQUEST).toString();
        clock.now = ParFixture.NOW.plusSeconds(59);
        assertTrue(store.find(first, "tpp-1").isPresent());
        clock.now = ParFixture.NOW.plusSeconds(60);
        assertEquals(Optional.empty(), store.find(second, "tpp-1"));
    }

    @Test
    public void keepsTheRequestInTheParMapWithA60SecondTtl() throws Exception {
        String uri = store.push(REQUEST).toString();
        assertEquals(Duration.ofSeconds(60), state.ttls.get("par/" + uri));
    }

    @Test
    public void storesJsonNeverJavaSerialization() throws Exception {
        String uri = store.push(REQUEST).toString();
        String stored = new String(state.values.get("par/" + uri), StandardCharsets.UTF_8);
        assertTrue(stored.startsWith("{\"client_id\":\"tpp-1\""), stored);
    }

    @Test
    public void requestUriCarries256RandomBits() throws Exception {
        String a = store.push(REQUEST).toString();
        String b = store.push(REQUEST).toString();
        assertTrue(a.matches("urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}"), a);
        assertNotEquals(a, b);
    }

    @Test
    public void ignoresAnythingButOurRequestUris() throws Exception {
        assertEquals(Optional.empty(), store.find("https://tpp.example/ro", "tpp-1"));
        assertEquals(Optional.empty(), store.find(null, "tpp-1"));
        assertEquals(Optional.empty(), store.find(PushedRequests.URN_PREFIX + "unknown", "tpp-1"));
    }

    @Test
    public void dropsAnUnreadableValue() throws Exception {
        state.values.put("par/" + PushedRequests.URN_PREFIX + "x", "{bad".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), store.find(PushedRequests.URN_PREFIX + "x", "tpp-1"));
    }

    @Test
    public void failsClosedWhenTheClusterIsUnavailable() throws Exception {
        String uri = store.push(REQUEST).toString();
        state.down = true;
        // Failures answers it 503 temporarily_unavailable, in one place for every endpoint.
        assertThrows(ClusterUnavailableException.class, () -> store.push(REQUEST));
        assertThrows(ClusterUnavailableException.class, () -> store.find(uri, "tpp-1"));
    }
}
