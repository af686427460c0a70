package org.obkm.oauth.internal.flow;

import java.time.Duration;
import java.util.Optional;

import org.obkm.api.cluster.SharedState;

/**
 * Shared state whose writes can be made to fail, as when the node doing them dies (reads and takes
 * still work), or to let another request run first, as a concurrent post on another node would.
 */
final class InterruptibleSharedState implements SharedState {

    private final SharedState delegate;
    /** While true every write (put, replace, remove) fails: the node died before it. */
    volatile boolean dead;
    /** Runs once, before the next write, then is cleared. */
    volatile Runnable beforeNextWrite;

    InterruptibleSharedState(SharedState delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean putIfAbsent(String map, String key, byte[] value, Duration ttl) {
        write();
        return delegate.putIfAbsent(map, key, value, ttl);
    }

    @Override
    public Optional<byte[]> get(String map, String key) {
        return delegate.get(map, key);
    }

    @Override
    public Optional<byte[]> consume(String map, String key) {
        return delegate.consume(map, key);
    }

    @Override
    public boolean replace(String map, String key, byte[] expectedValue, byte[] newValue, Duration ttl) {
        write();
        return delegate.replace(map, key, expectedValue, newValue, ttl);
    }

    @Override
    public boolean remove(String map, String key, byte[] expectedValue) {
        write();
        return delegate.remove(map, key, expectedValue);
    }

    private void write() {
        if (dead) {
            throw new IllegalStateException("the node died");
        }
        Runnable r = beforeNextWrite;
        if (r != null) {
            beforeNextWrite = null;
            r.run();
        }
    }
}
