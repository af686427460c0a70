package org.obkm.cluster.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not Serializable, so Hazelcast sends it with its reflective Compact serializer, which on the
 * receiver would call the no-argument constructor: the constructor counts.
 */
public final class CompactGadget implements Callable<Boolean> {

    /** Times the no-argument constructor ran, in this JVM. */
    static final AtomicInteger CONSTRUCTED = new AtomicInteger();

    private String payload;

    public CompactGadget() {
        CONSTRUCTED.incrementAndGet();
    }

    CompactGadget(String payload) {
        this.payload = payload;
    }

    @Override
    public Boolean call() {
        return payload != null;
    }
}
