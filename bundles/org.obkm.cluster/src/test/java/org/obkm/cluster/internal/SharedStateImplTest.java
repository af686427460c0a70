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

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/** Compare-and-set over sealed values on a real (single, unjoined) Hazelcast member. */
class SharedStateImplTest {

    private static HazelcastInstance hz;
    private static SharedStateImpl state;

    @BeforeAll
    static void member() {
        Config c = new Config();
        c.setClusterName("shared-state-test-" + System.nanoTime());
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "none");
        c.getNetworkConfig().setPort(5970).setPortAutoIncrement(true);
        c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        hz = Hazelcast.newHazelcastInstance(c);
        state = new SharedStateImpl(() -> hz, name -> {
            byte[] k = new byte[32];
            Arrays.fill(k, (byte) name.length());
            return k;
        });
    }

    @AfterAll
    static void stop() {
        hz.shutdown();
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
        String hashed = new ClusterCrypto(keyOf("cluster-state-mac"), keyOf("cluster-state-encryption"))
                .keyedName("t", key);
        byte[] before = hz.<String, byte[]>getMap("obkm-t").get(hashed);
        assertTrue(state.replace("t", key, read, b("v"), Duration.ofMinutes(1)));
        byte[] after = hz.<String, byte[]>getMap("obkm-t").get(hashed);
        assertFalse(Arrays.equals(before, after), "stored bytes changed although the plaintext did not");
        assertFalse(hz.<String, byte[]>getMap("obkm-t").replace(hashed, before, after), "old bytes no longer match");
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
        String hashed = new ClusterCrypto(keyOf("cluster-state-mac"), keyOf("cluster-state-encryption"))
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

    private static byte[] keyOf(String name) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) name.length());
        return k;
    }
}
