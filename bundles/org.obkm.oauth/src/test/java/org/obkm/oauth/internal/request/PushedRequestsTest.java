package org.obkm.oauth.internal.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ParFixture;

/** The request_uri store: one-time, bound to the client, 60 seconds, JSON in the cluster's shared state. */
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
            "openid accounts", "st", "n", ParFixture.CHALLENGE, "S256", "{\"id_token\":{\"acr\":null}}", "fapi1-advanced", "jkt-1");

    private final InMemorySharedState state = new InMemorySharedState();
    private final TestClock clock = new TestClock();
    private final PushedRequests store = new PushedRequests(state, clock);

    @Test
    public void returnsTheRequestToItsClientWithEveryField() throws Exception {
        URI uri = store.push(REQUEST);
        assertEquals(Optional.of(REQUEST), store.consume(uri.toString(), "tpp-1"));
    }

    @Test
    public void requestUriIsOneTime() throws Exception {
        String uri = store.push(REQUEST).toString();
        assertTrue(store.consume(uri, "tpp-1").isPresent());
        assertEquals(Optional.empty(), store.consume(uri, "tpp-1"));
    }

    @Test
    public void requestUriIsBoundToTheClient() throws Exception {
        String uri = store.push(REQUEST).toString();
        assertEquals(Optional.empty(), store.consume(uri, "tpp-2"));
        // Presented by the wrong client it is void: it leaked.
        assertEquals(Optional.empty(), store.consume(uri, "tpp-1"));
    }

    @Test
    public void requestUriExpiresIn60Seconds() throws Exception {
        String first = store.push(REQUEST).toString();
        String second = store.push(REQUEST).toString();
        clock.now = ParFixture.NOW.plusSeconds(59);
        assertTrue(store.consume(first, "tpp-1").isPresent());
        clock.now = ParFixture.NOW.plusSeconds(60);
        assertEquals(Optional.empty(), store.consume(second, "tpp-1"));
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
        assertEquals(Optional.empty(), store.consume("https://tpp.example/ro", "tpp-1"));
        assertEquals(Optional.empty(), store.consume(null, "tpp-1"));
        assertEquals(Optional.empty(), store.consume(PushedRequests.URN_PREFIX + "unknown", "tpp-1"));
    }

    @Test
    public void dropsAnUnreadableValue() throws Exception {
        state.values.put("par/" + PushedRequests.URN_PREFIX + "x", "{bad".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), store.consume(PushedRequests.URN_PREFIX + "x", "tpp-1"));
    }

    @Test
    public void failsClosedWhenTheClusterIsUnavailable() throws Exception {
        String uri = store.push(REQUEST).toString();
        state.down = true;
        assertEquals("temporarily_unavailable",
                assertThrows(OAuthException.class, () -> store.push(REQUEST)).error().getCode());
        assertEquals("temporarily_unavailable",
                assertThrows(OAuthException.class, () -> store.consume(uri, "tpp-1")).error().getCode());
    }
}
