package org.obkm.cluster.internal;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.obkm.api.cluster.InvalidationListener;
import org.obkm.api.keys.SharedSecrets;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/** Real Hazelcast members in the test JVM: OBKM members built from this bundle's classes, and foreign ones. */
final class TestMembers implements AutoCloseable {

    /** An OBKM member: its node, bus, shared state and one counting cache per region. */
    static final class Obkm {
        final HazelcastNode node;
        final InvalidationBusImpl bus;
        final SharedStateImpl state;
        final Map<String, CountingCache> caches = new ConcurrentHashMap<>();

        Obkm(HazelcastNode node, SharedSecrets secrets) {
            this.node = node;
            this.bus = new InvalidationBusImpl(node, secrets);
            this.state = new SharedStateImpl(node, secrets);
        }

        CountingCache cache(String region) {
            return caches.computeIfAbsent(region, r -> {
                CountingCache c = new CountingCache();
                listen(r, c);
                return c;
            });
        }

        /** Registers a listener as the whiteboard would. */
        void listen(String region, InvalidationListener l) {
            bus.addListener(new Objects(l), Map.of(InvalidationListener.REGION, region));
        }

        /** How many times any cache of this member was touched since the last reset. */
        int touches() {
            return caches.values().stream().mapToInt(CountingCache::touches).sum();
        }

        void resetCaches() {
            caches.values().forEach(CountingCache::reset);
        }
    }

    /** A cache that records what it was told to drop. */
    static final class CountingCache implements InvalidationListener {
        final List<String> keys = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger wholeRegion = new AtomicInteger();

        @Override
        public void invalidate(String key) {
            keys.add(key);
        }

        @Override
        public void invalidateAll() {
            wholeRegion.incrementAndGet();
        }

        int touches() {
            return keys.size() + wholeRegion.get();
        }

        void reset() {
            keys.clear();
            wholeRegion.set(0);
        }
    }

    private final List<HazelcastNode> nodes = new ArrayList<>();
    private final List<HazelcastInstance> foreign = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final String clusterName = "obkm-test-" + System.nanoTime();
    private final SharedSecrets secrets;

    TestMembers(SharedSecrets secrets, int size) throws IOException {
        this.secrets = secrets;
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
        }
    }

    /** Secrets as the database would share them: the same bytes for one name on every node. */
    static SharedSecrets sharedSecrets(byte seed) {
        Map<String, byte[]> s = new ConcurrentHashMap<>();
        return name -> s.computeIfAbsent(name, n -> {
            byte[] b = new byte[32];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (seed + n.hashCode() + i);
            }
            return b;
        }).clone();
    }

    /** Starts the OBKM members on their ports and waits until all see each other. */
    List<Obkm> startObkm(long invalidationTimeoutMillis) {
        List<Obkm> out = new ArrayList<>();
        for (int port : ports) {
            HazelcastNode n = new HazelcastNode(config(port, invalidationTimeoutMillis));
            nodes.add(n);
            out.add(new Obkm(n, secrets));
        }
        await(() -> out.stream().allMatch(o -> o.node.instance() != null
                && o.node.instance().getCluster().getMembers().size() == ports.size()), "OBKM members formed a cluster");
        return out;
    }

    /** A Hazelcast member of nobody's making, without our factory or filter, joining the cluster port. */
    HazelcastInstance startForeign(Config c) throws IOException {
        int port = freePort();
        c.setClusterName(clusterName);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).setMembers(members());
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(c);
        foreign.add(hz);
        await(() -> hz.getCluster().getMembers().size() == ports.size() + foreign.size(), "foreign member joined");
        return hz;
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (HazelcastInstance hz : foreign) {
            hz.shutdown();
        }
        for (HazelcastNode n : nodes) {
            n.deactivate();
        }
    }

    private List<String> members() {
        return ports.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    private ClusterConfig config(int port, long invalidationTimeoutMillis) {
        return config(clusterName, String.join(",", members()), port, invalidationTimeoutMillis, 0);
    }

    /** A member's configuration as Declarative Services would hand it over, bound to 127.0.0.1. */
    static ClusterConfig config(String clusterName, String members, int port, long invalidationTimeoutMillis,
            int minimumMembers) {
        return new ClusterConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ClusterConfig.class;
            }

            @Override
            public String clusterName() {
                return clusterName;
            }

            @Override
            public String members() {
                return members;
            }

            @Override
            public String bindAddress() {
                return "127.0.0.1";
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public long invalidationTimeoutMillis() {
                return invalidationTimeoutMillis;
            }

            @Override
            public int heartbeatSeconds() {
                return 1;
            }

            @Override
            public int maxNoHeartbeatSeconds() {
                return 5;
            }

            @Override
            public int minimumMembers() {
                return minimumMembers;
            }
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** What DS would hand the bus for a whiteboard listener. */
    private static final class Objects implements ComponentServiceObjects<InvalidationListener> {
        private final InvalidationListener l;

        Objects(InvalidationListener l) {
            this.l = l;
        }

        @Override
        public InvalidationListener getService() {
            return l;
        }

        @Override
        public void ungetService(InvalidationListener service) {
            // nothing to release: the listener lives as long as the test
        }

        @Override
        public ServiceReference<InvalidationListener> getServiceReference() {
            throw new UnsupportedOperationException("not used by the bus");
        }
    }

}
