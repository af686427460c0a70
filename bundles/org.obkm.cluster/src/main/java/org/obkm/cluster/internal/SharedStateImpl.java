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
import com.hazelcast.nio.serialization.HazelcastSerializationException;

/**
 * Shared state in Hazelcast maps ({@code obkm-<name>}, one backup). Keys are keyed hashes and values
 * are sealed byte arrays (Hazelcast's built-in array serializer, no Java serialization), so a stray
 * member on the cluster port can neither read nor forge them; what it puts in their place reads as
 * absent.
 *
 * <p>The conditional updates compare what is stored, which is ciphertext under a fresh nonce per write:
 * they read the stored bytes, check that they open to the value the caller expects, and hand exactly
 * those stored bytes to {@code IMap.replace}/{@code IMap.remove} as the expected value. Hazelcast
 * compares the serialized bytes on the partition owner, so a write in between (even of the same
 * plaintext) makes the call fail rather than overwrite it.
 */
@Component(service = SharedState.class)
public final class SharedStateImpl implements SharedState {

    private final HazelcastNode node;
    private final ClusterCrypto crypto;

    @Activate
    public SharedStateImpl(@Reference HazelcastNode node, @Reference SharedSecrets secrets) {
        this.node = node;
        this.crypto = new ClusterCrypto(secrets.secret("cluster-state-mac"), secrets.secret("cluster-state-encryption"));
    }

    @Override
    public boolean putIfAbsent(String map, String key, byte[] value, Duration ttl) {
        String k = crypto.keyedName(map, key);
        return map(map).putIfAbsent(k, crypto.seal(value, map + "/" + k), Math.max(1, ttl.toMillis()),
                TimeUnit.MILLISECONDS) == null;
    }

    @Override
    public Optional<byte[]> get(String map, String key) {
        String k = crypto.keyedName(map, key);
        IMap<String, Object> m = map(map);
        return open(map, k, () -> m.get(k));
    }

    @Override
    public Optional<byte[]> consume(String map, String key) {
        String k = crypto.keyedName(map, key);
        IMap<String, Object> m = map(map);
        return open(map, k, () -> m.remove(k));
    }

    @Override
    public boolean replace(String map, String key, byte[] expectedValue, byte[] newValue, Duration ttl) {
        String k = crypto.keyedName(map, key);
        IMap<String, Object> m = map(map);
        byte[] stored = storedIfHolding(m, map, k, expectedValue);
        if (stored == null || !m.replace(k, stored, crypto.seal(newValue, map + "/" + k))) {
            return false;
        }
        // IMap.replace has no TTL argument; the new value gets its own. Should a later write have won in
        // between, it gets the same kind of lifetime, which is harmless.
        m.setTtl(k, Math.max(1, ttl.toMillis()), TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public boolean remove(String map, String key, byte[] expectedValue) {
        String k = crypto.keyedName(map, key);
        IMap<String, Object> m = map(map);
        byte[] stored = storedIfHolding(m, map, k, expectedValue);
        return stored != null && m.remove(k, stored);
    }

    /** The stored ciphertext when it is ours and opens to {@code expected}, else null (fails closed). */
    private byte[] storedIfHolding(IMap<String, Object> m, String map, String k, byte[] expected) {
        Object[] raw = new Object[1];
        Optional<byte[]> plain = open(map, k, () -> raw[0] = m.get(k));
        return plain.isPresent() && MessageDigest.isEqual(plain.get(), expected) ? (byte[]) raw[0] : null;
    }

    /**
     * Reads a value and opens it, failing closed: anything but a byte array that we sealed for this
     * very entry (a value of another type, one the serialization filter refused, a forged or moved
     * one) counts as absent and is logged as refused.
     */
    private Optional<byte[]> open(String map, String k, Supplier<Object> read) {
        Object v;
        try {
            v = read.get();
        } catch (HazelcastSerializationException e) {
            node.rejections().refused("shared map " + map, "value of a type this node does not decode");
            return Optional.empty();
        }
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof byte[] sealed)) {
            node.rejections().refused("shared map " + map, "value of a type this node does not decode");
            return Optional.empty();
        }
        try {
            return Optional.of(crypto.open(sealed, map + "/" + k));
        } catch (SecurityException e) {
            node.rejections().refused("shared map " + map, "value failed authentication");
            return Optional.empty();
        }
    }

    private IMap<String, Object> map(String name) {
        HazelcastInstance hz = node.instance();
        String unavailable = node.unavailable();
        if (hz == null || unavailable != null) {
            throw new ClusterUnavailableException(unavailable == null ? "this node has not joined the cluster yet"
                    : unavailable);
        }
        return hz.getMap("obkm-" + name);
    }
}
