package org.obkm.cluster.internal;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.obkm.api.cluster.ClusterMembership;
import org.obkm.api.health.HealthIndicator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;

/**
 * This node's Hazelcast member. It starts on its own thread, since joining takes seconds and nothing
 * that serves requests may wait for it; until it runs, the invalidation bus works locally and shared
 * state fails closed. Whenever messages may have been missed (this node joined, a member left, a
 * split cluster merged) the listeners registered here clear their caches.
 */
@Component(service = {HazelcastNode.class, ClusterMembership.class, HealthIndicator.class},
        configurationPid = "org.obkm.cluster", immediate = true)
@Designate(ocd = ClusterConfig.class)
public final class HazelcastNode implements ClusterMembership, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastNode.class);

    /** The running member's settings, as at activation. */
    private final ClusterConfig config;
    /** The settings last read, to tell an operator once which change waits for a restart. */
    private volatile ClusterConfig lastRead;
    private volatile long invalidationTimeoutMillis;
    private final ConcurrentMap<String, Object> userContext = new ConcurrentHashMap<>();
    private final List<Runnable> resyncListeners = new CopyOnWriteArrayList<>();
    private final Thread starter;
    private final RejectionLog rejections = new RejectionLog();
    private volatile HazelcastInstance instance;
    private volatile boolean stopping;
    /** Between a split cluster's MERGING and MERGED: this node's state is being replaced, caches are stale. */
    private volatile boolean merging;
    /** The fewest members this node must see to serve shared state (see {@link ClusterConfig#minimumMembers}). */
    private final int quorum;

    @Activate
    public HazelcastNode(ClusterConfig config) {
        this.config = config;
        this.lastRead = config;
        this.invalidationTimeoutMillis = config.invalidationTimeoutMillis();
        this.quorum = quorum(config, port());
        this.starter = new Thread(this::start, "obkm-cluster-start");
        starter.setDaemon(true);
        starter.start();
    }

    /**
     * The invalidation timeout applies at once. The member's own settings (name, members, address, port,
     * heartbeats) are the running member's: a change says so and waits for the next start, since leaving
     * and joining again would cost requests their shared state.
     */
    @Modified
    void modified(ClusterConfig changed) {
        ClusterConfig running = lastRead;
        warnIfChanged("clusterName", running.clusterName(), changed.clusterName());
        warnIfChanged("members", running.members(), changed.members());
        warnIfChanged("bindAddress", running.bindAddress(), changed.bindAddress());
        warnIfChanged("port", running.port(), changed.port());
        warnIfChanged("heartbeatSeconds", running.heartbeatSeconds(), changed.heartbeatSeconds());
        warnIfChanged("maxNoHeartbeatSeconds", running.maxNoHeartbeatSeconds(), changed.maxNoHeartbeatSeconds());
        warnIfChanged("minimumMembers", running.minimumMembers(), changed.minimumMembers());
        lastRead = changed;
        invalidationTimeoutMillis = changed.invalidationTimeoutMillis();
    }

    private static void warnIfChanged(String key, Object running, Object changed) {
        if (!running.equals(changed)) {
            LOG.warn("org.obkm.cluster {} changed; takes effect after a restart", key);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        stopping = true;
        starter.interrupt();
        starter.join(30_000);
        HazelcastInstance hz = instance;
        instance = null;
        if (hz != null) {
            hz.shutdown();
        }
    }

    /** The running member, or {@code null} while it starts. */
    HazelcastInstance instance() {
        return instance;
    }

    /** Publishes an object that tasks arriving from other members look up by name. */
    void putUserContext(String key, Object value) {
        userContext.put(key, value);
        HazelcastInstance hz = instance;
        if (hz != null) {
            hz.getUserContext().put(key, value);
        }
    }

    void removeUserContext(String key, Object value) {
        userContext.remove(key, value);
        HazelcastInstance hz = instance;
        if (hz != null) {
            hz.getUserContext().remove(key, value);
        }
    }

    /** Where every refusal of cluster traffic on this node is logged and counted. */
    RejectionLog rejections() {
        return rejections;
    }

    long invalidationTimeoutMillis() {
        return invalidationTimeoutMillis;
    }

    /** Called whenever caches may have missed invalidations. */
    void onResync(Runnable r) {
        resyncListeners.add(r);
    }

    @Override
    public boolean joined() {
        HazelcastInstance hz = instance;
        return hz != null && hz.getLifecycleService().isRunning();
    }

    @Override
    public String clusterName() {
        return config.clusterName();
    }

    @Override
    public List<Member> members() {
        HazelcastInstance hz = instance;
        if (hz == null) {
            return List.of();
        }
        return hz.getCluster().getMembers().stream()
                .map(m -> new Member(m.getUuid().toString(), m.getAddress().getHost() + ":" + m.getAddress().getPort(),
                        m.localMember()))
                .toList();
    }

    @Override
    public String name() {
        return "cluster";
    }

    /**
     * The quorum: {@code minimumMembers} when set, else a majority of the configured members with this
     * node counted once, when they are three or more; else 1.
     */
    static int quorum(ClusterConfig config, int port) {
        if (config.minimumMembers() > 0) {
            return config.minimumMembers();
        }
        java.util.Set<String> all = new java.util.HashSet<>(Arrays.stream(config.members().split("[,\\s]+"))
                .filter(s -> !s.isBlank()).toList());
        all.add(config.bindAddress() + ":" + port);
        return all.size() >= 3 ? all.size() / 2 + 1 : 1;
    }

    /**
     * Why this member must not serve shared state now, or {@code null} when it may: it has not joined, it
     * sees fewer members than the quorum (it is on the minority side of a split, or the others died), or a
     * split cluster is merging into it. A minority that served would give out codes, request URIs and flows
     * the majority holds too (backups promoted there), once on each side.
     */
    String unavailable() {
        HazelcastInstance hz = instance;
        if (hz == null || !hz.getLifecycleService().isRunning()) {
            return "this node has not joined the cluster yet";
        }
        if (merging) {
            return "a split cluster is merging";
        }
        int seen = hz.getCluster().getMembers().size();
        if (seen < quorum) {
            return "this node sees " + seen + " of the " + quorum + " members the quorum needs (split from the cluster?)";
        }
        return null;
    }

    @Override
    public Status check() {
        if (!joined()) {
            return Status.down("starting");
        }
        String why = unavailable();
        return why == null ? Status.up(members().size() + " members") : Status.down(why);
    }

    /** Starts the member, retrying with backoff until it runs or the component stops. */
    private void start() {
        long backoff = 1000;
        while (!stopping) {
            if (startOnce()) {
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(backoff * 2, 30_000);
        }
    }

    private boolean startOnce() {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(HazelcastNode.class.getClassLoader());
        try {
            long begin = System.nanoTime();
            // Hazelcast reads its logger factory from this property only, when the member starts, and
            // loads it through the context class loader set above. An operator's own choice stays.
            if (System.getProperty(QuietRefusalLoggerFactory.PROPERTY) == null) {
                System.setProperty(QuietRefusalLoggerFactory.PROPERTY, QuietRefusalLoggerFactory.class.getName());
            }
            HazelcastInstance hz = Hazelcast.newHazelcastInstance(buildConfig());
            hz.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent e) {
                    LOG.info("Cluster member joined: {}", e.getMember().getAddress());
                }

                @Override
                public void memberRemoved(MembershipEvent e) {
                    LOG.warn("Cluster member left: {}; clearing node caches", e.getMember().getAddress());
                    resync();
                }
            });
            hz.getLifecycleService().addLifecycleListener(e -> {
                if (e.getState() == LifecycleState.MERGING) {
                    merging = true;
                    LOG.warn("Merging a split cluster; shared state unavailable and /health down until merged");
                } else if (e.getState() == LifecycleState.MERGED || e.getState() == LifecycleState.MERGE_FAILED) {
                    LOG.warn("Split cluster {}; clearing node caches", e.getState() == LifecycleState.MERGED
                            ? "merged" : "merge failed");
                    resync();
                    merging = false;
                }
            });
            if (stopping) {
                hz.shutdown();
                return true;
            }
            // The member keeps its own copy of the user context: hand it what was published meanwhile.
            hz.getUserContext().putAll(userContext);
            // Caches are cleared before the member is handed out, so that whoever sees it joined
            // (a caller, a test) never sees this clearing afterwards.
            resync();
            instance = hz;
            LOG.info("Joined cluster '{}' with {} members in {} ms", config.clusterName(),
                    hz.getCluster().getMembers().size(), (System.nanoTime() - begin) / 1_000_000);
            return true;
        } catch (RuntimeException e) {
            LOG.error("Cluster member could not start on {}:{}: {}; retrying", config.bindAddress(), port(),
                    e.getMessage());
            return false;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private void resync() {
        for (Runnable r : resyncListeners) {
            r.run();
        }
    }

    int port() {
        if (config.port() > 0) {
            return config.port();
        }
        Integer p = Integer.getInteger("obkm.cluster.port");
        return p != null ? p : 4000 + Integer.getInteger("portOffset", 0);
    }

    private Config buildConfig() {
        Config c = new Config();
        c.setClassLoader(HazelcastNode.class.getClassLoader());
        c.setClusterName(config.clusterName());
        c.setInstanceName("obkm-" + port());
        c.setUserContext(userContext);
        ClusterSerialization.configure(c.getSerializationConfig());
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        // Refusals of foreign payloads: one line each through HazelcastLog, not Hazelcast's stack trace.
        c.addListenerConfig(new ListenerConfig(new HazelcastLog(rejections)));
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.local.localAddress", config.bindAddress());
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        // How long a starting member looks for the configured peers before it forms a cluster of its
        // own. Short: members that miss each other while starting together merge within the merge
        // delay below, and clear their caches when they do.
        c.setProperty("hazelcast.max.join.seconds", "5");
        c.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(config.heartbeatSeconds()));
        c.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(config.maxNoHeartbeatSeconds()));
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        c.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        // After a split, what the merging (smaller) side holds is dropped, not put back where absent (the
        // default): a code or request URI consumed on the larger side meanwhile must not come back.
        c.getMapConfig("obkm-*").setBackupCount(1).getMergePolicyConfig()
                .setPolicy(com.hazelcast.spi.merge.DiscardMergePolicy.class.getName());
        NetworkConfig net = c.getNetworkConfig();
        net.setPort(port()).setPortAutoIncrement(false);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        List<String> members = Arrays.stream(config.members().split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2)
                .setMembers(members.isEmpty() ? List.of(config.bindAddress() + ":" + port()) : members);
        return c;
    }
}
