package org.obkm.oauth.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.obkm.api.cluster.ClusterUnavailableException;
import org.obkm.api.cluster.SharedState;

/** The cluster's shared maps as one plain map: a unit-test stand-in that records the TTLs asked for. */
public final class InMemorySharedState implements SharedState {

    public final Map<String, byte[]> values = new ConcurrentHashMap<>();
    public final Map<String, Duration> ttls = new ConcurrentHashMap<>();
    public volatile boolean down;

    @Override
    public boolean putIfAbsent(String map, String key, byte[] value, Duration ttl) {
        available();
        boolean stored = values.putIfAbsent(map + "/" + key, value) == null;
        if (stored) {
            ttls.put(map + "/" + key, ttl);
        }
        return stored;
    }

    @Override
    public Optional<byte[]> get(String map, String key) {
        available();
        return Optional.ofNullable(values.get(map + "/" + key));
    }

    @Override
    public Optional<byte[]> consume(String map, String key) {
        available();
        return Optional.ofNullable(values.remove(map + "/" + key));
    }

    private void available() {
        if (down) {
            throw new ClusterUnavailableException("down");
        }
    }
}
