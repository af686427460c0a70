package org.obkm.dcr.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/** The safe fetch of issue 13 point 2: HTTPS, verified TLS, a size limit, allowed hosts, refresh on unknown kid. */
class JwksFetcherTest {

    private static DcrFixture f;

    @BeforeAll
    static void server() throws Exception {
        f = new DcrFixture();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static JwksFetcher fetcher(Map<String, Object> changes) {
        return fetcher(changes, Clock.systemUTC());
    }

    private static JwksFetcher fetcher(Map<String, Object> changes, Clock clock) {
        Map<String, Object> config = new HashMap<>(f.config());
        config.putAll(changes);
        return new JwksFetcher(DcrSettings.parse(config), clock);
    }

    /** A clock the test moves on, so the refresh rate limit passes without waiting for it. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void fetchesAKeyByKidFromAnAllowedHost() throws Exception {
        assertTrue(fetcher(Map.of()).key(URI.create(DcrFixture.BASE + "/tpp/jwks"), "tpp-1", false).isPresent());
    }

    @Test
    void refetchesOnAnUnknownKid() throws Exception {
        MovableClock clock = new MovableClock();
        JwksFetcher fetcher = fetcher(Map.of("jwksRefreshMinSeconds", "1"), clock);
        URI uri = URI.create(DcrFixture.BASE + "/rotating/jwks");
        f.served.put("/rotating/jwks", new JWKSet(f.tppKey.toPublicJWK()).toString());
        assertTrue(fetcher.key(uri, "tpp-1", false).isPresent());
        var rotated = new RSAKeyGenerator(2048).keyID("tpp-2").generate();
        f.served.put("/rotating/jwks", new JWKSet(rotated.toPublicJWK()).toString());
        clock.advance(Duration.ofMillis(1100));
        assertTrue(fetcher.key(uri, "tpp-2", false).isPresent(), "an unknown kid fetches the set again");
    }

    @Test
    void refusesHostsNotAllowed() {
        IOException e = assertThrows(IOException.class, () -> fetcher(Map.of())
                .key(URI.create("https://127.0.0.1:" + DcrFixture.PORT + "/tpp/jwks"), "tpp-1", false));
        assertTrue(e.getMessage().contains("allowedJwksHosts"), e.getMessage());
    }

    @Test
    void refusesPlainHttp() {
        assertThrows(IOException.class, () -> fetcher(Map.of())
                .key(URI.create("http://localhost:" + DcrFixture.PORT + "/tpp/jwks"), "tpp-1", false));
    }

    @Test
    void refusesAServerItsCaFileDoesNotTrust() {
        // The JDK's trust store does not know the test CA: the handshake fails, nothing is fetched.
        JwksFetcher fetcher = fetcher(Map.of("jwksTrustedCaFile", ""));
        IOException e = assertThrows(IOException.class,
                () -> fetcher.key(URI.create(DcrFixture.BASE + "/tpp/jwks"), "tpp-1", false));
        assertEquals(0, fetcher.states().values().stream().filter(s -> s.keys() != null).count(), e.getMessage());
    }

    @Test
    void refusesASetLargerThanTheLimit() {
        f.served.put("/large/jwks", "{\"keys\":[],\"pad\":\"" + "x".repeat(5000) + "\"}");
        IOException e = assertThrows(IOException.class, () -> fetcher(Map.of("maxJwksBytes", "1000"))
                .key(URI.create(DcrFixture.BASE + "/large/jwks"), "any", false));
        assertTrue(e.getMessage().contains("maxJwksBytes"), e.getMessage());
    }

    @Test
    void refusesASetWithPrivateKeys() {
        f.served.put("/private/jwks", new JWKSet(f.tppKey).toString(false));
        assertThrows(IOException.class, () -> fetcher(Map.of()).key(URI.create(DcrFixture.BASE + "/private/jwks"),
                "tpp-1", false));
    }
}
