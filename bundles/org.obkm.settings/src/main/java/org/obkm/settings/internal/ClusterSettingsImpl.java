package org.obkm.settings.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.obkm.api.cluster.ClusterMembership;
import org.obkm.api.cluster.ClusterUnavailableException;
import org.obkm.api.cluster.InvalidationBus;
import org.obkm.api.cluster.InvalidationListener;
import org.obkm.api.cluster.SharedState;
import org.obkm.api.health.HealthIndicator;
import org.obkm.api.keys.ConfigSecrets;
import org.obkm.api.keys.SharedSecrets;
import org.obkm.api.schema.SchemaReady;
import org.obkm.api.settings.ClusterSettings;
import org.obkm.settings.internal.SettingsTable.Row;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's settings: rows of the shared database, applied by this node to its configurations.
 * A change made on any node bumps the version and goes over the invalidation bus (region
 * {@value #REGION}); each member then applies every row newer than the version it applied, so the change
 * is in force on every member when {@link #set} returns. A node that was down applies the rows it missed
 * before its {@code settings} health part is up (the version it applied is kept in its bundle data). A
 * poll of the version is the safety net for a lost message. A key whose value a node's file changes
 * afterwards is a local override: it stays until the cluster changes that key again, and shows in
 * {@link #differences()} and this node's health detail.
 */
@Component(service = {ClusterSettings.class, InvalidationListener.class, HealthIndicator.class},
        configurationPid = "org.obkm.settings", immediate = true,
        property = InvalidationListener.REGION + "=" + ClusterSettingsImpl.REGION)
@Designate(ocd = SettingsConfig.class)
public final class ClusterSettingsImpl implements ClusterSettings, InvalidationListener, HealthIndicator {

    static final String REGION = "settings";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSettingsImpl.class);
    private static final String SNAPSHOTS = "settings-effective";
    private static final Duration SNAPSHOT_TTL = Duration.ofSeconds(30);
    private static final long REPUBLISH_MILLIS = 10_000;

    private final SettingsTable table;
    private final NodeConfigurations configurations;
    private final ConfigSecrets configSecrets;
    private final InvalidationBus bus;
    private final SharedState state;
    private final ClusterMembership membership;
    private final Shown shown;
    private final Path appliedFile;
    private final ScheduledExecutorService timer;
    private volatile long applied;
    private volatile boolean ready;
    private volatile String drift = "";
    private String lastSeen = "";
    private byte[] published;
    private long publishedAt;

    @Activate
    public ClusterSettingsImpl(@Reference(target = "(osgi.jndi.service.name=obkm)") DataSource dataSource,
            @Reference(target = SettingsSchema.READY) SchemaReady schema, @Reference ConfigurationAdmin cm,
            @Reference ConfigSecrets configSecrets, @Reference SharedSecrets sharedSecrets,
            @Reference InvalidationBus bus, @Reference SharedState state, @Reference ClusterMembership membership,
            BundleContext context, SettingsConfig config) {
        this.table = new SettingsTable(dataSource);
        this.configurations = new NodeConfigurations(cm);
        this.configSecrets = configSecrets;
        this.bus = bus;
        this.state = state;
        this.membership = membership;
        // Fetched at first use, on the settings thread: activation never waits for the database.
        this.shown = new Shown(() -> sharedSecrets.secret("settings-digest"));
        this.appliedFile = context.getDataFile("applied-version").toPath();
        this.applied = readApplied(appliedFile);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "obkm-settings"));
        timer.execute(this::catchUp);
        timer.scheduleWithFixedDelay(this::poll, config.pollMillis(), config.pollMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::compare, config.compareMillis(), config.compareMillis(), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    // ------------------------------------------------------------------ changes

    @Override
    public long set(String pid, String key, String value, boolean secret, String by) {
        refuseUnlessClusterKey(pid, key);
        if (value == null || value.length() > 3000 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a value is one line of at most 3000 characters");
        }
        boolean asSecret = secret || SettingScopes.secretName(key);
        String stored = value;
        if (asSecret) {
            char[] plain = value.toCharArray();
            try {
                stored = configSecrets.encrypt(plain);
            } finally {
                Arrays.fill(plain, '\0');
            }
        }
        long version = table.write(pid, key, stored, asSecret, by + " on " + nodeName());
        LOG.info("Cluster setting {} {} set{} by {} (version {})", pid, key, asSecret ? " (secret)" : " to " + value,
                by, version);
        announce(pid);
        return version;
    }

    @Override
    public long unset(String pid, String key, String by) {
        refuseUnlessClusterKey(pid, key);
        long version = table.write(pid, key, null, false, by + " on " + nodeName());
        LOG.info("Cluster setting {} {} unset by {} (version {})", pid, key, by, version);
        announce(pid);
        return version;
    }

    private static void refuseUnlessClusterKey(String pid, String key) {
        String refusal = SettingScopes.refusal(pid, key);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
    }

    /** Every member applies it before this returns; one that misses the message catches up at its next poll. */
    private void announce(String pid) {
        if (!bus.invalidate(REGION, pid)) {
            LOG.warn("Not every member confirmed the settings change of {} in time; they apply it within their poll", pid);
        }
    }

    @Override
    public void invalidate(String key) {
        catchUp();
    }

    @Override
    public void invalidateAll() {
        catchUp();
    }

    private void poll() {
        try {
            if (!ready || table.version() > applied) {
                catchUp();
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the cluster's settings version: {}", e.getMessage());
        }
    }

    /** Applies every row newer than the version this node applied, in version order. */
    private synchronized void catchUp() {
        try {
            List<Row> rows = table.since(applied);
            long reached = applied;
            for (Row r : rows) {
                String value = r.value() == null ? null : r.secret() ? NodeConfigurations.sealed(r.value()) : r.value();
                if (configurations.put(r.pid(), r.key(), value)) {
                    LOG.info("Applied cluster setting {} {} (version {}): {}", r.pid(), r.key(), r.version(),
                            value == null ? "unset" : r.secret() ? "secret" : value);
                }
                reached = Math.max(reached, r.version());
            }
            if (reached != applied) {
                applied = reached;
                writeApplied(appliedFile, reached);
            }
            if (!ready) {
                ready = true;
                LOG.info("Cluster settings applied (version {})", reached);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot apply the cluster's settings (retrying): {}", e.getMessage());
        }
    }

    // ------------------------------------------------------------------ reading

    @Override
    public List<Setting> list(String pid) {
        List<Setting> out = new ArrayList<>();
        for (Row r : table.since(0)) {
            if (r.value() != null && (pid == null || pid.equals(r.pid()))) {
                out.add(new Setting(r.pid(), r.key(), r.secret() ? MASK : r.value(), r.secret(), r.version(),
                        r.updatedBy(), Instant.ofEpochMilli(r.updatedAt())));
            }
        }
        out.sort((x, y) -> (x.pid() + " " + x.key()).compareTo(y.pid() + " " + y.key()));
        return out;
    }

    @Override
    public long appliedVersion() {
        return applied;
    }

    @Override
    public String effective(String pid, String key) {
        String v = configurations.effective().getOrDefault(pid, Map.of()).get(key);
        return v == null ? null : Shown.isSecret(key, v, false) ? MASK : v;
    }

    @Override
    public String perNodeReason(String pid, String key) {
        return SettingScopes.refusal(pid, key);
    }

    @Override
    public List<Difference> differences() {
        return Snapshot.differences(clusterShown(), snapshots(mine()));
    }

    /** The cluster's values as members show theirs. */
    private Map<String, String> clusterShown() {
        Map<String, String> out = new TreeMap<>();
        for (Row r : table.since(0)) {
            if (r.value() != null) {
                out.put(r.pid() + " " + r.key(), r.secret() ? shown.secret(NodeConfigurations.sealed(r.value()))
                        : shown.value(r.key(), r.value(), false));
            }
        }
        return out;
    }

    private Snapshot mine() {
        Map<String, String> values = new TreeMap<>();
        configurations.effective().forEach((pid, keys) -> keys.forEach((k, v) ->
                values.put(pid + " " + k, shown.value(k, v, false))));
        return new Snapshot(nodeName(), applied, values);
    }

    /** This node's snapshot and those the other members published. */
    private List<Snapshot> snapshots(Snapshot mine) {
        List<Snapshot> all = new ArrayList<>();
        all.add(mine);
        for (ClusterMembership.Member m : membership.members()) {
            if (m.local()) {
                continue;
            }
            try {
                state.get(SNAPSHOTS, m.uuid()).map(Snapshot::decode).ifPresent(all::add);
            } catch (ClusterUnavailableException e) {
                break;
            }
        }
        return all;
    }

    // ------------------------------------------------------------------ drift

    /** Publishes this node's snapshot when it changed (and every 10 s), and refreshes the drift detail. */
    private void compare() {
        try {
            Snapshot mine = mine();
            publish(mine);
            if (!ready) {
                return;
            }
            List<Difference> differences = Snapshot.differences(clusterShown(), snapshots(mine));
            Map<String, List<String>> byMember = new LinkedHashMap<>();
            for (Difference d : differences) {
                for (String member : Snapshot.outliers(d)) {
                    byMember.computeIfAbsent(member, k -> new ArrayList<>()).add(d.pid() + " " + d.key());
                }
            }
            List<String> parts = new ArrayList<>();
            byMember.forEach((member, keys) -> parts.add(member + " (" + String.join(", ",
                    keys.size() > 5 ? keys.subList(0, 5) : keys) + (keys.size() > 5 ? ", ..." : "") + ")"));
            String now = String.join("; ", parts);
            // Right after a change the members apply it within milliseconds but publish within a second:
            // only what two rounds in a row see is drift.
            String seenBefore = lastSeen;
            lastSeen = now;
            if (now.equals(seenBefore) && !now.equals(drift)) {
                if (now.isEmpty()) {
                    LOG.info("Settings are the same on every member again");
                } else {
                    LOG.warn("Settings differ between members (obkm:config-diff): {}", now);
                }
                drift = now;
            }
        } catch (RuntimeException e) {
            LOG.debug("Cannot compare settings with the other members: {}", e.getMessage());
        }
    }

    private void publish(Snapshot mine) {
        Optional<String> uuid = membership.members().stream().filter(ClusterMembership.Member::local)
                .map(ClusterMembership.Member::uuid).findFirst();
        if (uuid.isEmpty()) {
            return;
        }
        byte[] bytes = mine.encode();
        long now = System.currentTimeMillis();
        if (Arrays.equals(bytes, published) && now - publishedAt < REPUBLISH_MILLIS) {
            return;
        }
        try {
            Optional<byte[]> old = state.get(SNAPSHOTS, uuid.get());
            boolean stored = old.isPresent() ? state.replace(SNAPSHOTS, uuid.get(), old.get(), bytes, SNAPSHOT_TTL)
                    : state.putIfAbsent(SNAPSHOTS, uuid.get(), bytes, SNAPSHOT_TTL);
            if (stored) {
                published = bytes;
                publishedAt = now;
            }
        } catch (ClusterUnavailableException e) {
            // not joined yet: nobody to compare with
        }
    }

    @Override
    public String name() {
        return "settings";
    }

    @Override
    public Status check() {
        if (!ready) {
            return Status.down("applying the cluster's settings");
        }
        String d = drift;
        return Status.up("version " + applied + (d.isEmpty() ? ", same on every member" : "; differ from the cluster's: " + d));
    }

    private String nodeName() {
        return membership.members().stream().filter(ClusterMembership.Member::local)
                .map(ClusterMembership.Member::address).findFirst()
                .orElse(System.getProperty("karaf.name", "node"));
    }

    private static long readApplied(Path file) {
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static void writeApplied(Path file, long version) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(version), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
