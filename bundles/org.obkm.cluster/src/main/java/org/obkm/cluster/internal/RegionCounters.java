package org.obkm.cluster.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts per invalidation region, for the operator's cache statistics; regions are the few the code names. */
final class RegionCounters {

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String region) {
        counts.computeIfAbsent(region, r -> new LongAdder()).increment();
    }

    long get(String region) {
        LongAdder a = counts.get(region);
        return a == null ? 0 : a.sum();
    }
}
