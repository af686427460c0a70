package org.obkm.userstore.ldap.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A node-local cache with a time to live and a bound on its size (least recently used out first). Only
 * a cache: the directory stays the truth, and a stale entry lives at most the time to live unless an
 * invalidation from the cluster drops it sooner. A time to live of 0 caches nothing.
 */
final class TtlCache<K, V> {

    private record Timed<V>(V value, long expiresAt) {
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<K, Timed<V>> map;
    private long hits;
    private long misses;

    TtlCache(long ttlSeconds, int maxEntries, LongSupplier nanoClock) {
        this.ttlNanos = ttlSeconds * 1_000_000_000L;
        this.maxEntries = maxEntries;
        this.nanoClock = nanoClock;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Timed<V>> eldest) {
                return size() > TtlCache.this.maxEntries;
            }
        };
    }

    synchronized V get(K key) {
        Timed<V> t = map.get(key);
        if (t == null) {
            misses++;
            return null;
        }
        if (nanoClock.getAsLong() - t.expiresAt() >= 0) {
            map.remove(key);
            misses++;
            return null;
        }
        hits++;
        return t.value();
    }

    synchronized void put(K key, V value) {
        if (ttlNanos > 0) {
            map.put(key, new Timed<>(value, nanoClock.getAsLong() + ttlNanos));
        }
    }

    synchronized V remove(K key) {
        Timed<V> t = map.remove(key);
        return t == null ? null : t.value();
    }

    synchronized void clear() {
        map.clear();
    }

    synchronized int size() {
        return map.size();
    }

    /** Lookups answered from the cache. */
    synchronized long hits() {
        return hits;
    }

    /** Lookups that found nothing (or an expired entry). */
    synchronized long misses() {
        return misses;
    }
}
