package org.obkm.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.keys.SharedSecrets;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

/**
 * DESIGN rule 8 against a foreign Hazelcast member: one that joins the cluster port of two OBKM
 * members (built from this bundle's classes, real Hazelcast, this JVM) without our key, factory or
 * filter, and sends serialized objects of classes of its choosing and forged invalidations. No OBKM
 * member may instantiate such a class (the classes are even on the class path here, so only the
 * filter stands in the way), touch a cache, or log an attempt more than once.
 */
class ForeignMemberTest {

    private static final SharedSecrets SECRETS = TestMembers.sharedSecrets((byte) 7);
    private static TestMembers members;
    private static List<TestMembers.Obkm> obkm;
    private static HazelcastInstance foreign;
    private long[] refusedBefore;
    private long[] loggedBefore;

    @BeforeAll
    static void start() throws Exception {
        members = new TestMembers(SECRETS, 2);
        obkm = members.startObkm(2000);
        Config c = new Config();
        c.getSerializationConfig().addDataSerializableFactory(ClusterSerialization.FACTORY_ID, ForeignTask.FACTORY);
        foreign = members.startForeign(c);
        obkm.forEach(o -> o.cache("clients"));
    }

    @AfterAll
    static void stop() throws Exception {
        members.close();
    }

    @BeforeEach
    void mark() {
        obkm.forEach(TestMembers.Obkm::resetCaches);
        refusedBefore = obkm.stream().mapToLong(o -> o.node.rejections().count()).toArray();
        loggedBefore = obkm.stream().mapToLong(o -> o.node.rejections().logged()).toArray();
        Gadget.DESERIALIZED.set(0);
        CompactGadget.CONSTRUCTED.set(0);
    }

    @Test
    void refusesJavaSerializedTasksWithoutResolvingTheirClass() {
        for (String executor : List.of("obkm-invalidation", "default")) {
            for (TestMembers.Obkm o : obkm) {
                assertThrows(ExecutionException.class, () -> foreign.getExecutorService(executor)
                        .submitToMember(new Gadget(), memberOf(o)).get(10, TimeUnit.SECONDS));
            }
        }
        String key = keyOwnedBy(obkm.get(0));
        assertThrows(RuntimeException.class, () -> foreign.getMap("obkm-codes").executeOnKey(key, new Gadget()));
        // Nobody listens on topics, so nobody decodes this; it must stay so.
        foreign.getTopic("obkm-invalidation").publish(new Gadget());

        assertEquals(0, Gadget.DESERIALIZED.get(), "a member ran the gadget's readObject");
        assertRefusedAndLoggedOnce(3, 2);
        assertNoCacheTouched();
    }

    @Test
    void refusesCompactObjectsOfClassesItDoesNotKnow() {
        for (TestMembers.Obkm o : obkm) {
            assertThrows(ExecutionException.class, () -> foreign.getExecutorService("obkm-invalidation")
                    .submitToMember(new CompactGadget("x"), memberOf(o)).get(10, TimeUnit.SECONDS));
        }
        assertEquals(0, CompactGadget.CONSTRUCTED.get(), "a member constructed the Compact gadget");
        assertRefusedAndLoggedOnce(1, 1);
        assertNoCacheTouched();
    }

    @Test
    void readsWhatAForeignMemberPutInASharedMapAsAbsent() {
        TestMembers.Obkm a = obkm.get(0);
        ClusterCrypto crypto = new ClusterCrypto(SECRETS.secret("cluster-state-mac"), SECRETS.secret("cluster-state-encryption"));
        for (String k : List.of("java", "compact", "text", "forged", "kept")) {
            assertTrue(a.state.putIfAbsent("codes", k, k.getBytes(), Duration.ofMinutes(1)));
        }
        // A member sees every key of the map; the keys hide the codes but not where they are.
        IMap<Object, Object> m = foreign.getMap("obkm-codes");
        m.put(crypto.keyedName("codes", "java"), new Gadget());
        m.put(crypto.keyedName("codes", "compact"), new CompactGadget("y"));
        m.put(crypto.keyedName("codes", "text"), "not sealed");
        byte[] forged = new byte[40];
        new SecureRandom().nextBytes(forged);
        m.put(crypto.keyedName("codes", "forged"), forged);

        assertEquals(Optional.empty(), a.state.get("codes", "java"));
        assertEquals(Optional.empty(), a.state.get("codes", "compact"));
        assertEquals(Optional.empty(), a.state.consume("codes", "text"));
        assertEquals(Optional.empty(), a.state.consume("codes", "forged"));
        assertEquals("kept", new String(obkm.get(1).state.consume("codes", "kept").orElseThrow()));

        assertEquals(0, Gadget.DESERIALIZED.get());
        assertEquals(0, CompactGadget.CONSTRUCTED.get());
        assertEquals(4, a.node.rejections().count() - refusedBefore[0]);
        assertEquals(4, a.node.rejections().logged() - loggedBefore[0]);
        assertEquals(refusedBefore[1], obkm.get(1).node.rejections().count());
    }

    @Test
    void refusesForgedGarbageAndReplayedInvalidations() throws Exception {
        ForeignTask.OVERHEARD.clear();
        // A real invalidation: the foreign member, being a member, is asked to confirm it and keeps it.
        assertTrue(obkm.get(0).bus.invalidate("clients", "k1"));
        obkm.forEach(o -> assertEquals(List.of("k1"), o.cache("clients").keys));
        byte[] overheard = ForeignTask.OVERHEARD.remove();
        obkm.forEach(TestMembers.Obkm::resetCaches);

        SharedSecrets otherKey = TestMembers.sharedSecrets((byte) 8);
        byte[] wrongMac = new InvalidationMessage("clients", "k2", System.currentTimeMillis(), InvalidationMessage
                .newNonce(new SecureRandom())).seal(new ClusterCrypto(otherKey.secret("cluster-message-mac"), new byte[32]));
        byte[] garbage = new byte[200];
        new SecureRandom().nextBytes(garbage);
        List<ForeignTask> attempts = List.of(new ForeignTask(wrongMac), new ForeignTask(garbage),
                new ForeignTask(new byte[0]), new ForeignTask(Integer.MAX_VALUE, new byte[8]),
                new ForeignTask(overheard));
        for (ForeignTask t : attempts) {
            for (TestMembers.Obkm o : obkm) {
                assertFalse(foreign.getExecutorService("obkm-invalidation").submitToMember(t, memberOf(o))
                        .get(10, TimeUnit.SECONDS), "a member accepted a forged invalidation");
            }
        }
        assertRefusedAndLoggedOnce(attempts.size(), attempts.size());
        assertNoCacheTouched();
    }

    private Member memberOf(TestMembers.Obkm o) {
        return o.node.instance().getCluster().getLocalMember();
    }

    /** A key whose partition an OBKM member owns, so that the foreign member itself never decodes. */
    private static String keyOwnedBy(TestMembers.Obkm o) {
        Member owner = o.node.instance().getCluster().getLocalMember();
        for (int i = 0;; i++) {
            String k = "k" + i;
            if (owner.equals(foreign.getPartitionService().getPartition(k).getOwner())) {
                return k;
            }
        }
    }

    /** Refusals (and log lines) per OBKM member: first member, second member. */
    private void assertRefusedAndLoggedOnce(long first, long second) {
        long[] expected = {first, second};
        for (int i = 0; i < obkm.size(); i++) {
            RejectionLog r = obkm.get(i).node.rejections();
            long before = refusedBefore[i];
            long want = expected[i];
            // A member may log just after it answered the foreign caller.
            TestMembers.await(() -> r.count() - before >= want, "member " + i + " logged its refusals");
            assertEquals(expected[i], r.count() - refusedBefore[i], "refusals on member " + i);
            assertEquals(expected[i], r.logged() - loggedBefore[i], "log lines on member " + i);
        }
    }

    private void assertNoCacheTouched() {
        obkm.forEach(o -> assertEquals(0, o.touches(), "a cache was touched"));
    }
}
