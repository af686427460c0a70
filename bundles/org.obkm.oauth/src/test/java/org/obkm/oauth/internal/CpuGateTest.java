package org.obkm.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.obkm.oauth.internal.clientauth.ClientAssertionVerifier;
import org.obkm.api.client.Client;
import org.obkm.api.client.TokenEndpointAuthMethod;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/** The CPU gate: permits, queue timeout as a 503, configuration, and that I/O holds no permit. */
class CpuGateTest {

    private static final long WAIT_SECONDS = 20;

    /** Holds the gate's permits from other threads until {@link Held#release()}. */
    private static final class Held {
        final CountDownLatch entered;
        final CountDownLatch release = new CountDownLatch(1);
        final List<CompletableFuture<Void>> holders;

        Held(CpuGate gate, int permits) throws InterruptedException {
            entered = new CountDownLatch(permits);
            holders = java.util.stream.IntStream.range(0, permits).mapToObj(i -> CompletableFuture.runAsync(() ->
                    assertDoesNotThrow(() -> gate.run(() -> {
                        entered.countDown();
                        return release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    })))).toList();
            assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "holders entered");
        }

        void release() {
            release.countDown();
            holders.forEach(CompletableFuture::join);
        }
    }

    @Test
    void workPastTheQueueTimeoutIsOverloadedWhichIsA503() throws Exception {
        CpuGate gate = new CpuGate(1, 50);
        Held held = new Held(gate, 1);
        CpuGate.Overloaded e = assertThrows(CpuGate.Overloaded.class, () -> gate.run(() -> "late"));
        assertEquals("the server is overloaded; retry shortly", Failures.unavailability(e).orElseThrow());
        held.release();
        assertEquals("now", gate.run(() -> "now"));
        assertEquals(1, gate.available(), "every permit came back");
    }

    @Test
    void defaultIsTwoPermitsPerCoreAndAChangeAppliesWithoutRestart() {
        CpuGate gate = new CpuGate(config(0, 5000));
        assertEquals(2 * Runtime.getRuntime().availableProcessors(), gate.available());
        gate.modified(config(3, 100));
        assertEquals(3, gate.available());
        assertThrows(IllegalArgumentException.class, () -> new CpuGate(-1, 10));
    }

    @Test
    void aGatedVerifierTakesAPermitForTheSignatureCheckOnly() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.PS256), new JWTClaimsSet.Builder().subject("s").build());
        jwt.sign(new RSASSASigner(key));
        CpuGate gate = new CpuGate(1, 50);
        var verifier = gate.verifiers().createJWSVerifier(jwt.getHeader(), key.toRSAPublicKey());
        assertTrue(jwt.verify(verifier));
        Held held = new Held(gate, 1);
        com.nimbusds.jose.JOSEException wrapped = assertThrows(com.nimbusds.jose.JOSEException.class,
                () -> jwt.verify(verifier), "the check waits for a permit; Nimbus wraps the failure");
        assertThrows(CpuGate.Overloaded.class, () -> CpuGate.rethrowOverload(wrapped));
        held.release();
        assertTrue(jwt.verify(verifier));
        assertEquals(1, gate.available());
    }

    /**
     * The defect: the gate used to be held across the whole request, the client's {@code jwks_uri} fetch
     * included, so a slow key server took permits from every other request. Now a request stalled in
     * that fetch holds none: with one permit, other signature work still runs at once.
     */
    @Test
    void aClientAssertionWaitingForItsJwksUriHoldsNoPermit() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("rsa").generate();
        CountDownLatch fetching = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        HttpServer keys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keys.createContext("/jwks", exchange -> {
            fetching.countDown();
            try {
                answer.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keys.start();
        try {
            Client client = new Client("tpp-slow", "TPP", Set.of("client_credentials"), Set.of("accounts"),
                    TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, null,
                    "http://127.0.0.1:" + keys.getAddress().getPort() + "/jwks", List.of(), null, Instant.now());
            CpuGate gate = new CpuGate(1, 200);
            ClientAssertionVerifier verifier = new ClientAssertionVerifier(TestSettings.defaults(),
                    new InMemorySharedState(), gate);
            SignedJWT assertion = assertion(key, client.clientId());
            CompletableFuture<Void> stalled = CompletableFuture.runAsync(() -> assertDoesNotThrow(
                    () -> verifier.verify(client, assertion, TestSettings.ISSUER,
                            org.obkm.oauth.internal.policy.AssertionAudiences.ISSUER_STRING)));
            assertTrue(fetching.await(WAIT_SECONDS, TimeUnit.SECONDS), "the key fetch started");
            assertEquals(1, gate.available(), "the request waiting for its keys holds no permit");
            assertEquals("ran", gate.run(() -> "ran"), "other CPU work is admitted meanwhile");
            answer.countDown();
            stalled.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, gate.available());
        } finally {
            answer.countDown();
            keys.stop(0);
        }
    }

    private static SignedJWT assertion(RSAKey key, String clientId) throws Exception {
        long now = System.currentTimeMillis();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(TestSettings.ISSUER)
                        .jwtID(UUID.randomUUID().toString()).issueTime(new Date(now))
                        .expirationTime(new Date(now + 60_000)).build());
        jwt.sign(new RSASSASigner(key));
        return jwt;
    }

    private static CpuGateConfig config(int permits, long timeoutMillis) {
        return new CpuGateConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CpuGateConfig.class;
            }

            @Override
            public int permits() {
                return permits;
            }

            @Override
            public long queueTimeoutMillis() {
                return timeoutMillis;
            }

            @Override
            public int admissionPermits() {
                return 0;
            }

            @Override
            public long admissionWaitMillis() {
                return 200;
            }
        };
    }

    // --- admission of whole requests ---

    /** Holds admissions from other threads until released. */
    private static List<CompletableFuture<Void>> holdAdmissions(CpuGate gate, int n, CountDownLatch entered,
            CountDownLatch release) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> CompletableFuture.runAsync(() -> {
            try (CpuGate.Admission a = gate.admit()) {
                assertTrue(a.held());
                entered.countDown();
                assertDoesNotThrow(() -> release.await(WAIT_SECONDS, TimeUnit.SECONDS));
            }
        })).toList();
    }

    @Test
    void admissionLetsNoMoreRequestsInThanItsPermitsFirstComeFirstServed() throws Exception {
        CpuGate gate = new CpuGate(4, 5000, 2, 10_000);
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Void>> holders = holdAdmissions(gate, 2, entered, release);
        assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS));
        CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> {
            try (CpuGate.Admission a = gate.admit()) {
                return a.held();
            }
        });
        assertThrows(java.util.concurrent.TimeoutException.class, () -> third.get(300, TimeUnit.MILLISECONDS),
                "a third request waits while two are admitted");
        release.countDown();
        holders.forEach(CompletableFuture::join);
        assertTrue(third.get(WAIT_SECONDS, TimeUnit.SECONDS), "and is admitted once one leaves");
    }

    @Test
    void aRequestThatWaitedTheAdmissionWaitGoesOnWithoutOneInsteadOfFailing() throws Exception {
        CpuGate gate = new CpuGate(4, 5000, 1, 100);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Void>> holders = holdAdmissions(gate, 1, entered, release);
        assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        try (CpuGate.Admission a = gate.admit()) {
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(!a.held(), "not admitted");
            assertTrue(waited >= 90 && waited < 5000, "waited the admission wait, not longer: " + waited + " ms");
            assertTrue(!CpuGate.admitted());
        }
        release.countDown();
        holders.forEach(CompletableFuture::join);
    }

    @Test
    void networkIoOfAnAdmittedRequestGivesItsAdmissionBackMeanwhile() throws Exception {
        CpuGate gate = new CpuGate(4, 5000, 1, 10_000);
        try (CpuGate.Admission a = gate.admit()) {
            assertTrue(a.held() && CpuGate.admitted());
            boolean otherGotIn = CpuGate.awayForIo(() -> CompletableFuture.supplyAsync(() -> {
                try (CpuGate.Admission other = gate.admit()) {
                    return other.held();
                }
            }).get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(otherGotIn, "another request was admitted while this one waited on the network");
            assertTrue(CpuGate.admitted(), "the admission is taken again after the I/O");
        }
        // All permits are back: a fresh request is admitted at once.
        try (CpuGate.Admission a = gate.admit()) {
            assertTrue(a.held());
        }
    }

    @Test
    void aNestedAdmissionTakesNoSecondPermitAndClosingItKeepsTheOuterOne() {
        CpuGate gate = new CpuGate(4, 5000, 1, 50);
        try (CpuGate.Admission outer = gate.admit()) {
            try (CpuGate.Admission inner = gate.admit()) {
                assertTrue(outer.held() && !inner.held());
            }
            assertTrue(CpuGate.admitted(), "the outer admission is still held");
        }
        assertTrue(!CpuGate.admitted());
    }

    @Test
    void admissionCanBeSwitchedOffAndOnWithoutRestart() {
        CpuGate gate = new CpuGate(4, 5000, -1, 50);
        try (CpuGate.Admission a = gate.admit()) {
            assertTrue(!a.held(), "off");
        }
        gate.modified(config(4, 5000));
        try (CpuGate.Admission a = gate.admit()) {
            assertTrue(a.held(), "on after the change (default two per core)");
        }
    }
}
