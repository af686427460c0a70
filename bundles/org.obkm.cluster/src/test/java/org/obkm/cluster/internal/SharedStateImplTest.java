package org.obkm.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.obkm.api.keys.SharedSecrets;

import com.hazelcast.core.HazelcastInstance;

/** Compare-and-set over sealed values on a real OBKM Hazelcast member. */
class SharedStateImplTest {

    private static final SharedSecrets SECRETS = TestMembers.sharedSecrets((byte) 3);
    private static TestMembers members;
    private static HazelcastInstance hz;
    private static SharedStateImpl state;

    @BeforeAll
    static void member() throws Exception {
        members = new TestMembers(SECRETS, 1);
        TestMembers.Obkm obkm = members.startObkm(2000).get(0);
        hz = obkm.node.instance();
        state = obkm.state;
    }

    @AfterAll
    static void stop() throws Exception {
        members.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void replaceSucceedsOnceForOneReadValue() {
        String key = "k-" + System.nanoTime();
        state.putIfAbsent("t", key, b("login"), Duration.ofMinutes(1));
        byte[] read = state.get("t", key).orElseThrow();
        assertTrue(state.replace("t", key, read, b("consent"), Duration.ofMinutes(1)));
        assertFalse(state.replace("t", key, read, b("other"), Duration.ofMinutes(1)), "the second writer lost");
        assertArrayEquals(b("consent"), state.get("t", key).orElseThrow());
    }

    @Test
    void replaceComparesStoredBytesNotPlaintext() {
        // A rewrite of the same plaintext is a new ciphertext: a caller that read before it must lose.
        String key = "k-" + System.nanoTime();
        state.putIfAbsent("t", key, b("v"), Duration.ofMinutes(1));
        byte[] read = state.get("t", key).orElseThrow();
        String hashed = new ClusterCrypto(SECRETS.secret("cluster-state-mac"), SECRETS.secret("cluster-state-encryption"))
                .keyedName("t", key);
        byte[] before = (byte[]) hz.<String, Object>getMap("obkm-t").get(hashed);
        assertTrue(state.replace("t", key, read, b("v"), Duration.ofMinutes(1)));
        byte[] after = (byte[]) hz.<String, Object>getMap("obkm-t").get(hashed);
        assertFalse(Arrays.equals(before, after), "stored bytes changed although the plaintext did not");
        assertFalse(hz.<String, Object>getMap("obkm-t").replace(hashed, before, after), "old bytes no longer match");
    }

    @Test
    void replaceOfAbsentOrDifferentValueChangesNothing() {
        String key = "k-" + System.nanoTime();
        assertFalse(state.replace("t", key, b("x"), b("y"), Duration.ofMinutes(1)));
        assertTrue(state.get("t", key).isEmpty());
        state.putIfAbsent("t", key, b("a"), Duration.ofMinutes(1));
        assertFalse(state.replace("t", key, b("b"), b("c"), Duration.ofMinutes(1)));
        assertArrayEquals(b("a"), state.get("t", key).orElseThrow());
    }

    @Test
    void replaceSetsTheNewTimeToLive() {
        String key = "k-" + System.nanoTime();
        state.putIfAbsent("t", key, b("a"), Duration.ofMinutes(10));
        assertTrue(state.replace("t", key, b("a"), b("b"), Duration.ofSeconds(30)));
        String hashed = new ClusterCrypto(SECRETS.secret("cluster-state-mac"), SECRETS.secret("cluster-state-encryption"))
                .keyedName("t", key);
        long ttl = hz.getMap("obkm-t").getEntryView(hashed).getTtl();
        assertTrue(ttl <= TimeUnit.SECONDS.toMillis(30) && ttl > 0, "ttl " + ttl);
    }

    @Test
    void removeEndsOnlyTheValueThatWasRead() {
        String key = "k-" + System.nanoTime();
        state.putIfAbsent("t", key, b("a"), Duration.ofMinutes(1));
        assertFalse(state.remove("t", key, b("other")));
        assertTrue(state.remove("t", key, b("a")));
        assertFalse(state.remove("t", key, b("a")), "removed once only");
        assertTrue(state.get("t", key).isEmpty());
    }
}
