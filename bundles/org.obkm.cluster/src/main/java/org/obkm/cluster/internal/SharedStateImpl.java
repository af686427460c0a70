package org.obkm.cluster.internal;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.obkm.api.cluster.ClusterUnavailableException;
import org.obkm.api.cluster.SharedState;
import org.obkm.api.keys.SharedSecrets;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

/**
 * Shared state in Hazelcast maps ({@code obkm-<name>}, one backup). Keys are keyed hashes and values
 * are sealed, so a stray member on the cluster port can neither read nor forge them.
 *
 * <p>The conditional updates compare what is stored, which is ciphertext under a fresh nonce per write:
 * they read the stored bytes, check that they open to the value the caller expects, and hand exactly
 * those stored bytes to {@code IMap.replace}/{@code IMap.remove} as the expected value. Hazelcast
 * compares the serialized bytes on the partition owner, so a write in between (even of the same
 * plaintext) makes the call fail rather than overwrite it.
 */
@Component(service = SharedState.class)
public final class SharedStateImpl implements SharedState {

    private final Supplier<HazelcastInstance> instance;
    private final ClusterCrypto crypto;

    @Activate
    public SharedStateImpl(@Reference HazelcastNode node, @Reference SharedSecrets secrets) {
        this(node::instance, secrets);
    }

    SharedStateImpl(Supplier<HazelcastInstance> instance, SharedSecrets secrets) {
        this.instance = instance;
        this.crypto = new ClusterCrypto(secrets.secret("cluster-state-mac"), secrets.secret("cluster-state-encryption"));
    }

    @Override
    public boolean putIfAbsent(String map, String key, byte[] value, Duration ttl) {
        String k = crypto.keyedName(map, key);
        return map(map).putIfAbsent(k, crypto.seal(value, map + "/" + k), millis(ttl), TimeUnit.MILLISECONDS) == null;
    }

    @Override
    public Optional<byte[]> get(String map, String key) {
        String k = crypto.keyedName(map, key);
        return Optional.ofNullable(map(map).get(k)).map(v -> crypto.open(v, map + "/" + k));
    }

    @Override
    public Optional<byte[]> consume(String map, String key) {
        String k = crypto.keyedName(map, key);
        return Optional.ofNullable(map(map).remove(k)).map(v -> crypto.open(v, map + "/" + k));
    }

    @Override
    public boolean replace(String map, String key, byte[] expectedValue, byte[] newValue, Duration ttl) {
        String k = crypto.keyedName(map, key);
        IMap<String, byte[]> m = map(map);
        byte[] stored = storedIfHolding(m, map, k, expectedValue);
        if (stored == null || !m.replace(k, stored, crypto.seal(newValue, map + "/" + k))) {
            return false;
        }
        // IMap.replace has no TTL argument; the new value gets its own. Should a later write have won in
        // between, it gets the same kind of lifetime, which is harmless.
        m.setTtl(k, millis(ttl), TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public boolean remove(String map, String key, byte[] expectedValue) {
        String k = crypto.keyedName(map, key);
        IMap<String, byte[]> m = map(map);
        byte[] stored = storedIfHolding(m, map, k, expectedValue);
        return stored != null && m.remove(k, stored);
    }

    /** The stored ciphertext when it opens to {@code expected}, else null. */
    private byte[] storedIfHolding(IMap<String, byte[]> m, String map, String k, byte[] expected) {
        byte[] stored = m.get(k);
        if (stored == null || !MessageDigest.isEqual(crypto.open(stored, map + "/" + k), expected)) {
            return null;
        }
        return stored;
    }

    private static long millis(Duration ttl) {
        return Math.max(1, ttl.toMillis());
    }

    private IMap<String, byte[]> map(String name) {
        HazelcastInstance hz = instance.get();
        if (hz == null) {
            throw new ClusterUnavailableException("this node has not joined the cluster yet");
        }
        return hz.getMap("obkm-" + name);
    }
}
