package org.obkm.cluster.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses an authenticated invalidation seen before or older than the age bound. Only messages whose
 * tag verified reach it, so its memory is bounded by what key holders send within the bound.
 */
final class ReplayGuard {

    private final long maxAgeMillis;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private volatile long lastPurge;

    ReplayGuard(long maxAgeMillis) {
        this.maxAgeMillis = maxAgeMillis;
    }

    /** The reason to refuse the message, or {@code null} to accept it (and remember its nonce). */
    String check(InvalidationMessage m, long nowMillis) {
        if (Math.abs(nowMillis - m.sentAtMillis()) > maxAgeMillis) {
            return "stale invalidation";
        }
        if (nowMillis - lastPurge > maxAgeMillis) {
            lastPurge = nowMillis;
            seen.values().removeIf(sentAt -> nowMillis - sentAt > 2 * maxAgeMillis);
        }
        return seen.putIfAbsent(m.nonce(), m.sentAtMillis()) == null ? null : "replayed invalidation";
    }
}
