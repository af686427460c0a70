package org.obkm.cluster.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.obkm.api.cluster.ClusterStatus;
import org.obkm.api.cluster.ClusterUnavailableException;
import org.obkm.api.health.DrainControl;
import org.obkm.api.health.HealthIndicator;
import org.obkm.api.keys.SharedSecrets;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.partition.ReplicaMigrationEvent;

/**
 * Every member writes its version, start time and health into the shared map {@code obkm-node-status}
 * every {@value #PUBLISH_SECONDS} s, under its member UUID, sealed with the cluster key (DESIGN rule 8:
 * a stray member can neither read nor forge a status; what fails to open reads as not reported). An
 * entry lives {@value #TTL_SECONDS} s, so a member that stopped reporting shows no health rather than
 * an old one. Partition and migration state come from this member's partition service.
 */
@Component(service = ClusterStatus.class, immediate = true)
public final class NodeStatusBoard implements ClusterStatus {

    static final String MAP = "obkm-node-status";
    static final int PUBLISH_SECONDS = 2;
    static final int TTL_SECONDS = 15;
    private static final Logger LOG = LoggerFactory.getLogger(NodeStatusBoard.class);

    private final HazelcastNode node;
    private final SharedSecrets secrets;
    private volatile ClusterCrypto crypto;
    private final String version;
    private final long startedMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final ScheduledExecutorService publisher;
    private final List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DrainControl drain;
    private volatile HazelcastInstance watched;
    private volatile MigrationState migration;
    private volatile boolean migrating;

    @Activate
    public NodeStatusBoard(@Reference HazelcastNode node, @Reference SharedSecrets secrets, BundleContext context) {
        this.node = node;
        this.secrets = secrets;
        this.version = context.getBundle().getVersion().toString();
        this.publisher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "obkm-node-status");
            t.setDaemon(true);
            return t;
        });
        publisher.scheduleWithFixedDelay(this::publish, 0, PUBLISH_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        publisher.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addIndicator(HealthIndicator i) {
        indicators.add(i);
    }

    void removeIndicator(HealthIndicator i) {
        indicators.remove(i);
    }

    /** Writes this member's status; a failure (cluster not formed, being left) waits for the next round. */
    private void publish() {
        HazelcastInstance hz = node.instance();
        if (hz == null) {
            return;
        }
        try {
            watchMigrations(hz);
            String uuid = hz.getCluster().getLocalMember().getUuid().toString();
            map(hz).put(uuid, crypto().seal(encode(), MAP + "/" + uuid), TTL_SECONDS, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.debug("Node status not published: {}", e.toString());
        }
    }

    private byte[] encode() {
        Properties p = new Properties();
        p.setProperty("version", version);
        p.setProperty("started", String.valueOf(startedMillis));
        p.setProperty("reported", String.valueOf(System.currentTimeMillis()));
        boolean up = true;
        List<HealthIndicator> sorted = new ArrayList<>(indicators);
        sorted.sort(Comparator.comparing(HealthIndicator::name));
        StringBuilder names = new StringBuilder();
        for (HealthIndicator i : sorted) {
            HealthIndicator.Status s = i.check();
            up &= s.up();
            names.append(names.isEmpty() ? "" : ",").append(i.name());
            p.setProperty("part." + i.name(), (s.up() ? "UP " : "DOWN ") + s.detail());
        }
        p.setProperty("parts", names.toString());
        DrainControl d = drain;
        String phase = d == null ? "SERVING" : d.phaseName();
        p.setProperty("health", !"SERVING".equals(phase) ? phase : up ? "UP" : "DOWN");
        StringWriter w = new StringWriter();
        try {
            p.store(w, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void watchMigrations(HazelcastInstance hz) {
        if (watched == hz) {
            return;
        }
        watched = hz;
        hz.getPartitionService().addMigrationListener(new MigrationListener() {
            @Override
            public void migrationStarted(MigrationState state) {
                migration = state;
                migrating = true;
            }

            @Override
            public void migrationFinished(MigrationState state) {
                migration = state;
                migrating = false;
            }

            @Override
            public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
                migration = event.getMigrationState();
            }

            @Override
            public void replicaMigrationFailed(ReplicaMigrationEvent event) {
                migration = event.getMigrationState();
            }
        });
    }

    @Override
    public boolean joined() {
        return node.joined();
    }

    @Override
    public String clusterName() {
        return node.clusterName();
    }

    @Override
    public List<Member> members() {
        HazelcastInstance hz = running();
        IMap<String, Object> statuses = map(hz);
        List<Member> out = new ArrayList<>();
        for (com.hazelcast.cluster.Member m : hz.getCluster().getMembers()) {
            String uuid = m.getUuid().toString();
            String address = m.getAddress().getHost() + ":" + m.getAddress().getPort();
            Properties p = open(uuid, statuses.get(uuid));
            if (p == null) {
                out.add(new Member(uuid, address, m.localMember(), null, null, null, List.of(), null));
                continue;
            }
            List<Part> parts = new ArrayList<>();
            for (String name : p.getProperty("parts", "").split(",")) {
                String v = p.getProperty("part." + name);
                if (!name.isEmpty() && v != null) {
                    boolean up = v.startsWith("UP ");
                    parts.add(new Part(name, up, v.substring(up ? 3 : Math.min(5, v.length()))));
                }
            }
            out.add(new Member(uuid, address, m.localMember(), p.getProperty("version"),
                    instant(p.getProperty("started")), p.getProperty("health"), parts, instant(p.getProperty("reported"))));
        }
        return out;
    }

    /** The status as published by that member, or {@code null} when absent, foreign or forged. */
    private Properties open(String uuid, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof byte[] sealed)) {
            node.rejections().refused("node status", "value of a type this node does not decode");
            return null;
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(new String(crypto().open(sealed, MAP + "/" + uuid), StandardCharsets.UTF_8)));
            return p;
        } catch (SecurityException | IOException e) {
            node.rejections().refused("node status", "value failed authentication");
            return null;
        }
    }

    /** Made on first use: the secrets come from the database, which may be down while the node starts. */
    private ClusterCrypto crypto() {
        ClusterCrypto c = crypto;
        if (c == null) {
            c = new ClusterCrypto(secrets.secret("cluster-status-mac"), secrets.secret("cluster-status-encryption"));
            crypto = c;
        }
        return c;
    }

    private static Instant instant(String millis) {
        try {
            return millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public Partitions partitions() {
        PartitionService ps = running().getPartitionService();
        int count = 0;
        int withoutOwner = 0;
        for (Partition p : ps.getPartitions()) {
            count++;
            if (p.getOwner() == null) {
                withoutOwner++;
            }
        }
        MigrationState m = migration;
        return new Partitions(count, withoutOwner, ps.isClusterSafe(), ps.isLocalMemberSafe(), migrating,
                m == null ? 0 : m.getCompletedMigrations(), m == null ? 0 : m.getPlannedMigrations());
    }

    private HazelcastInstance running() {
        HazelcastInstance hz = node.instance();
        if (hz == null) {
            throw new ClusterUnavailableException("this node has not joined cluster '" + node.clusterName() + "' yet");
        }
        return hz;
    }

    private static IMap<String, Object> map(HazelcastInstance hz) {
        return hz.getMap(MAP);
    }
}
