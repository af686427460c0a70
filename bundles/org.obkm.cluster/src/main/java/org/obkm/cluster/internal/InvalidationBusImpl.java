package org.obkm.cluster.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.obkm.api.cluster.CacheRegions;
import org.obkm.api.cluster.CacheStatistics;
import org.obkm.api.cluster.InvalidationBus;
import org.obkm.api.cluster.InvalidationListener;
import org.obkm.api.keys.SharedSecrets;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;

/**
 * Invalidations run as a task on every member through a Hazelcast executor; the sender waits for each
 * member's answer up to the configured bound, so a write's response leaves only after every node
 * dropped its stale copy. The task carries only an {@link InvalidationMessage}, whose tag under the
 * shared key is checked before the message is parsed; a forged, replayed or stale one is refused,
 * logged through the node's {@link RejectionLog} and touches no cache. Members that do not answer in time are logged; the cluster removes them
 * within the heartbeat bound and they clear their caches when they return.
 */
@Component(service = {InvalidationBus.class, CacheRegions.class}, immediate = true)
public final class InvalidationBusImpl implements InvalidationBus, CacheRegions, InvalidationTask.Receiver {

    private static final Logger LOG = LoggerFactory.getLogger(InvalidationBusImpl.class);
    private static final long MAX_AGE_MILLIS = 60_000;

    private final HazelcastNode node;
    private final SharedSecrets secrets;
    // Service objects, fetched on first use: fetching at bind time would activate a cache that
    // itself needs this bus, a cycle.
    private final Map<String, List<ComponentServiceObjects<InvalidationListener>>> listeners = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ReplayGuard replays = new ReplayGuard(MAX_AGE_MILLIS);
    private final RegionCounters sent = new RegionCounters();
    private final RegionCounters received = new RegionCounters();
    private volatile ClusterCrypto crypto;

    @Activate
    public InvalidationBusImpl(@Reference HazelcastNode node, @Reference SharedSecrets secrets) {
        this.node = node;
        this.secrets = secrets;
        node.putUserContext(InvalidationTask.RECEIVER, this);
        node.onResync(this::invalidateAllLocally);
    }

    @Deactivate
    void deactivate() {
        node.removeUserContext(InvalidationTask.RECEIVER, this);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ComponentServiceObjects<InvalidationListener> l, Map<String, Object> props) {
        listeners.computeIfAbsent(region(props), r -> new CopyOnWriteArrayList<>()).add(l);
    }

    void removeListener(ComponentServiceObjects<InvalidationListener> l, Map<String, Object> props) {
        listeners.getOrDefault(region(props), List.of()).remove(l);
    }

    @Override
    public boolean invalidate(String region, String key) {
        sent.add(region);
        HazelcastInstance hz = node.instance();
        if (hz == null) {
            // Not joined yet: there is nobody else to tell, and on joining every cache is cleared anyway.
            received.add(region);
            dispatch(region, key);
            return true;
        }
        byte[] message = new InvalidationMessage(region, key, System.currentTimeMillis(),
                InvalidationMessage.newNonce(random)).seal(crypto());
        Map<Member, Future<Boolean>> answers = hz.getExecutorService("obkm-invalidation")
                .submitToAllMembers(new InvalidationTask(message));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(node.invalidationTimeoutMillis());
        boolean all = true;
        for (Map.Entry<Member, Future<Boolean>> a : answers.entrySet()) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!Boolean.TRUE.equals(a.getValue().get(left, TimeUnit.NANOSECONDS))) {
                    all = false;
                    LOG.warn("Member {} refused invalidation of {}/{}", a.getKey().getAddress(), region, key);
                }
            } catch (TimeoutException | ExecutionException e) {
                all = false;
                LOG.warn("Member {} did not confirm invalidation of {}/{} within {} ms: {}", a.getKey().getAddress(),
                        region, key, node.invalidationTimeoutMillis(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return all;
    }

    @Override
    public boolean receive(byte[] sealedMessage) {
        InvalidationMessage m;
        try {
            m = InvalidationMessage.open(sealedMessage, crypto());
        } catch (InvalidationMessage.Rejected e) {
            node.rejections().refused("invalidation executor", e.getMessage());
            return false;
        }
        String replayed = replays.check(m, System.currentTimeMillis());
        if (replayed != null) {
            node.rejections().refused("invalidation executor", replayed);
            return false;
        }
        received.add(m.region());
        dispatch(m.region(), m.key());
        return true;
    }

    private void dispatch(String region, String key) {
        for (ComponentServiceObjects<InvalidationListener> objects : listeners.getOrDefault(region, List.of())) {
            InvalidationListener l = objects.getService();
            if (l == null) {
                continue;
            }
            try {
                if (key == null) {
                    l.invalidateAll();
                } else {
                    l.invalidate(key);
                }
            } catch (RuntimeException e) {
                LOG.error("Cache of region {} failed to invalidate: {}", region, e.getMessage());
            } finally {
                objects.ungetService(l);
            }
        }
    }

    @Override
    public List<Region> regions() {
        List<Region> out = new ArrayList<>();
        for (Map.Entry<String, List<ComponentServiceObjects<InvalidationListener>>> e : listeners.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            long size = -1;
            long hits = -1;
            long misses = -1;
            for (ComponentServiceObjects<InvalidationListener> objects : e.getValue()) {
                InvalidationListener l = objects.getService();
                try {
                    if (l instanceof CacheStatistics s) {
                        CacheStatistics.Counts c = s.counts();
                        size = Math.max(size, 0) + c.size();
                        hits = Math.max(hits, 0) + c.hits();
                        misses = Math.max(misses, 0) + c.misses();
                    }
                } finally {
                    if (l != null) {
                        objects.ungetService(l);
                    }
                }
            }
            out.add(new Region(e.getKey(), size, hits, misses, sent.get(e.getKey()), received.get(e.getKey())));
        }
        out.sort(Comparator.comparing(Region::name));
        return out;
    }

    private void invalidateAllLocally() {
        listeners.keySet().forEach(region -> dispatch(region, null));
    }

    private ClusterCrypto crypto() {
        ClusterCrypto c = crypto;
        if (c == null) {
            c = new ClusterCrypto(secrets.secret("cluster-message-mac"), secrets.secret("cluster-state-encryption"));
            crypto = c;
        }
        return c;
    }

    private static String region(Map<String, Object> props) {
        Object r = props.get(InvalidationListener.REGION);
        return r == null ? "" : r.toString();
    }
}
