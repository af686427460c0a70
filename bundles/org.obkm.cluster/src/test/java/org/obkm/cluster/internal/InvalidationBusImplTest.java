package org.obkm.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.cluster.InvalidationListener;
import org.obkm.api.keys.SharedSecrets;

import com.hazelcast.cluster.Member;

/** The invalidation bus between two real members in this JVM. */
class InvalidationBusImplTest {

    private static final long BOUND_MILLIS = 400;
    private static final SharedSecrets SECRETS = TestMembers.sharedSecrets((byte) 3);
    private static TestMembers members;
    private static TestMembers.Obkm a;
    private static TestMembers.Obkm b;
    private static final SecureRandom RANDOM = new SecureRandom();

    @BeforeAll
    static void start() throws Exception {
        members = new TestMembers(SECRETS, 2);
        List<TestMembers.Obkm> both = members.startObkm(BOUND_MILLIS);
        a = both.get(0);
        b = both.get(1);
        for (TestMembers.Obkm o : both) {
            o.cache("clients");
            o.cache("keys");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        members.close();
    }

    @BeforeEach
    void reset() {
        a.resetCaches();
        b.resetCaches();
    }

    @Test
    void deliversToTheListenersOfTheRegionOnEveryMember() {
        assertTrue(a.bus.invalidate("clients", "c1"));
        for (TestMembers.Obkm o : List.of(a, b)) {
            assertEquals(List.of("c1"), o.cache("clients").keys);
            assertEquals(0, o.cache("clients").wholeRegion.get());
            assertEquals(0, o.cache("keys").touches());
        }
    }

    @Test
    void invalidatesAWholeRegion() {
        assertTrue(b.bus.invalidate("keys", null));
        for (TestMembers.Obkm o : List.of(a, b)) {
            assertEquals(1, o.cache("keys").wholeRegion.get());
            assertEquals(List.of(), o.cache("keys").keys);
            assertEquals(0, o.cache("clients").touches());
        }
    }

    @Test
    void aRegionWithoutListenersIsConfirmed() {
        assertTrue(a.bus.invalidate("nobody-caches-this", "x"));
        assertEquals(0, a.touches() + b.touches());
    }

    @Test
    void reportsAMemberThatDoesNotConfirmWithinTheBound() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        InvalidationListener stuck = new InvalidationListener() {
            @Override
            public void invalidate(String key) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void invalidateAll() {
                // not used here
            }
        };
        b.listen("slow", stuck);
        try {
            long begin = System.nanoTime();
            assertFalse(a.bus.invalidate("slow", "s1"));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertTrue(tookMillis >= BOUND_MILLIS - 50 && tookMillis < BOUND_MILLIS + 1500, "took " + tookMillis + " ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void refusesForgedStaleReplayedAndGarbageMessages() throws Exception {
        ClusterCrypto right = crypto(SECRETS);
        ClusterCrypto wrong = crypto(TestMembers.sharedSecrets((byte) 4));
        long now = System.currentTimeMillis();
        byte[] fresh = message("clients", "c1", now).seal(right);
        byte[] garbage = new byte[64];
        RANDOM.nextBytes(garbage);
        long refusedBefore = b.node.rejections().count();

        assertFalse(send(b, message("clients", "c1", now).seal(wrong)), "another key");
        assertFalse(send(b, message("clients", "c1", now - 120_000).seal(right)), "stale");
        assertFalse(send(b, garbage), "garbage");
        assertFalse(send(b, new byte[0]), "empty");
        byte[] tampered = fresh.clone();
        tampered[20] ^= 1;
        assertFalse(send(b, tampered), "tampered");
        assertEquals(0, b.touches());

        assertTrue(send(b, fresh), "the authentic one");
        assertEquals(List.of("c1"), b.cache("clients").keys);
        assertFalse(send(b, fresh), "the same again");
        assertEquals(1, b.touches());
        assertEquals(6, b.node.rejections().count() - refusedBefore);
        assertEquals(0, a.touches());
    }

    private static boolean send(TestMembers.Obkm to, byte[] message) throws Exception {
        Member target = to.node.instance().getCluster().getLocalMember();
        return a.node.instance().getExecutorService("obkm-invalidation")
                .submitToMember(new InvalidationTask(message), target).get(10, TimeUnit.SECONDS);
    }

    private static InvalidationMessage message(String region, String key, long sentAt) {
        return new InvalidationMessage(region, key, sentAt, InvalidationMessage.newNonce(RANDOM));
    }

    private static ClusterCrypto crypto(SharedSecrets s) {
        return new ClusterCrypto(s.secret("cluster-message-mac"), s.secret("cluster-state-encryption"));
    }
}
