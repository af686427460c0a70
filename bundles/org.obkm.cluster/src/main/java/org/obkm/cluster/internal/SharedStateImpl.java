package org.obkm.cluster.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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
        return Optional.ofNullable(map(map).get(k)).map(v -> crypto.open(v, map + "/" + k));
    }

    @Override
    public Optional<byte[]> consume(String map, String key) {
        String k = crypto.keyedName(map, key);
        return Optional.ofNullable(map(map).remove(k)).map(v -> crypto.open(v, map + "/" + k));
    }

    private IMap<String, byte[]> map(String name) {
        HazelcastInstance hz = node.instance();
        if (hz == null) {
            throw new ClusterUnavailableException("this node has not joined the cluster yet");
        }
        return hz.getMap("obkm-" + name);
    }
}
