package org.obkm.userstore.deployer.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.obkm.api.keys.ConfigSecrets;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the files of the shared user store folder into store configurations, one per domain, as
 * Felix FileInstall reports them (added, changed, removed). It watches the folder through a named
 * FileInstall factory configuration that lives exactly as long as this component, and ranks above
 * FileInstall's own {@code .cfg} installer so that the folder's {@code .cfg} files are ours.
 *
 * <p>Every node reads the same files and decides alike: a file that is refused, also after a change,
 * takes its domain's store down; the first file of a domain keeps it against a second one.
 */
@Component(service = ArtifactInstaller.class, configurationPid = UserStoreInstaller.PID, immediate = true,
        property = Constants.SERVICE_RANKING + ":Integer=1000")
@Designate(ocd = DeployerConfig.class)
public final class UserStoreInstaller implements ArtifactInstaller {

    static final String PID = "org.obkm.userstore.deployer";
    static final String WATCHER_FACTORY_PID = "org.apache.felix.fileinstall";
    static final String WATCHER_NAME = "obkm-userstores";
    private static final Logger LOG = LoggerFactory.getLogger(UserStoreInstaller.class);

    private final ConfigurationAdmin cm;
    private final UserStoreDeploymentsImpl status;
    private final StoreConfigurations configs;
    private final Path directory;
    /** Domain → the file that has it. */
    private final Map<String, String> claims = new HashMap<>();
    /** Domain → files refused because another file has it, deployed again when it is free. */
    private final Map<String, Set<String>> blocked = new HashMap<>();
    /** Set when deactivated: the old watcher may still report a file or two meanwhile. */
    private volatile boolean closed;

    @Activate
    public UserStoreInstaller(@Reference ConfigurationAdmin cm, @Reference ConfigSecrets secrets,
            @Reference UserStoreDeploymentsImpl status, DeployerConfig config) throws IOException {
        this(cm, secrets, status, resolve(config.directory()), config.pollMillis());
    }

    UserStoreInstaller(ConfigurationAdmin cm, ConfigSecrets secrets, UserStoreDeploymentsImpl status, Path dir,
            long pollMillis) throws IOException {
        this.cm = cm;
        this.status = status;
        this.configs = new StoreConfigurations(cm, secrets);
        Files.createDirectories(dir);
        this.directory = dir.toRealPath();
        status.directory(directory.toString());
        reconcile();
        openWatcher(Math.max(100, pollMillis));
        LOG.info("Watching user store folder {}", directory);
    }

    static Path resolve(String dir) {
        Path p = Path.of(dir);
        return (p.isAbsolute() ? p : Path.of(System.getProperty("karaf.home", ".")).resolve(p))
                .toAbsolutePath().normalize();
    }

    Path directory() {
        return directory;
    }

    @Deactivate
    void deactivate() {
        closed = true;
        // Without this installer nobody may watch the folder: FileInstall's own installer would take
        // the .cfg files (and write into them).
        try {
            Configuration c = cm.getFactoryConfiguration(WATCHER_FACTORY_PID, WATCHER_NAME, "?");
            if (c.getProperties() != null) {
                c.delete();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot stop watching {}: {}", directory, e.toString());
        }
    }

    private void openWatcher(long pollMillis) throws IOException {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("felix.fileinstall.dir", directory.toString());
        p.put("felix.fileinstall.poll", Long.toString(pollMillis));
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.filter", UserStoreFileParser.FILE_NAME_REGEX);
        p.put("felix.fileinstall.log.level", "2");
        p.put("felix.fileinstall.subdir.mode", "skip");
        // Polling, not inotify: inotify does not see changes made by other hosts on a shared mount.
        p.put("felix.fileinstall.disableNio2", "true");
        p.put("felix.fileinstall.bundles.new.start", "false");
        // A new value each time: FileInstall keeps a watcher whose properties did not change, and only a
        // new watcher offers every file again (to this installer).
        p.put("obkm.watch.since", Instant.now().toString());
        cm.getFactoryConfiguration(WATCHER_FACTORY_PID, WATCHER_NAME, "?").update(p);
    }

    @Override
    public boolean canHandle(File artifact) {
        File parent = artifact.getParentFile();
        if (parent == null || !UserStoreFileParser.isUserStoreFileName(artifact.getName()) || artifact.isDirectory()) {
            return false;
        }
        try {
            return parent.toPath().toRealPath().equals(directory);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void install(File artifact) {
        deploy(artifact.toPath());
    }

    @Override
    public void update(File artifact) {
        deploy(artifact.toPath());
    }

    @Override
    public synchronized void uninstall(File artifact) {
        if (closed) {
            return;
        }
        Path file = artifact.toPath();
        String source = source(file);
        blocked.values().forEach(s -> s.remove(source));
        status.fileRemoved(source);
        List<String> down = removeSource(source);
        LOG.info("User store file {} removed{}", source, down.isEmpty() ? "" : "; store " + String.join(", ", down)
                + " taken down");
        release(source, down);
    }

    /** Deletes configurations whose file went away while this node was not watching. */
    private synchronized void reconcile() throws IOException {
        status.forgetOutside(directory.toString());
        for (Configuration c : configs.all()) {
            String source = StoreConfigurations.source(c);
            if (source == null || !Files.isRegularFile(Path.of(source)) || !canHandle(new File(source))) {
                LOG.info("User store {} removed: its file {} is gone", StoreConfigurations.domain(c), source);
                c.delete();
            }
        }
    }

    synchronized void deploy(Path file) {
        if (closed) {
            return;
        }
        String source = source(file);
        UserStoreFile parsed;
        try {
            parsed = UserStoreFileParser.parse(file);
        } catch (InvalidUserStoreFileException e) {
            refuse(source, e.domain().isEmpty() ? impliedDomain(file) : e.domain(), e.type(), e.getMessage());
            return;
        } catch (NoSuchFileException e) {
            return; // removed meanwhile: uninstall follows
        } catch (IOException e) {
            refuse(source, "", "", "cannot be read (" + e.getClass().getSimpleName() + ")");
            return;
        }
        String domain = parsed.domain();
        String owner = owner(domain, source);
        if (owner != null) {
            blocked.computeIfAbsent(domain, d -> new LinkedHashSet<>()).add(source);
            refuse(source, domain, parsed.type(), "domain " + domain + " already comes from file " + owner);
            return;
        }
        claims.values().remove(source);
        claims.put(domain, source);
        if (parsed.disabled()) {
            List<String> down = removeSource(source);
            status.fileDisabled(source, domain, parsed.type());
            LOG.info("User store {} from {} is disabled{}", domain, source, down.isEmpty() ? "" : "; taken down");
            return;
        }
        if (!parsed.plaintextSecrets().isEmpty()) {
            LOG.warn("User store file {}: {} is in plain text; encrypt it with obkm:encrypt", source,
                    String.join(", ", parsed.plaintextSecrets()));
        }
        try {
            if (configs.apply(source, parsed)) {
                LOG.info("User store {} ({}) configured from {}", domain, parsed.type(), source);
            }
        } catch (IOException | RuntimeException e) {
            refuse(source, domain, parsed.type(), "its configuration cannot be stored: " + e.getMessage());
            return;
        }
        status.fileConfigured(source, domain, parsed.type());
    }

    /** The file that has a domain, when it is another one and still there. */
    private String owner(String domain, String source) {
        String claimed = claims.get(domain);
        if (claimed != null && !claimed.equals(source)) {
            if (Files.isRegularFile(Path.of(claimed))) {
                return claimed;
            }
            claims.remove(domain);
        }
        try {
            // What this node configured before a restart, while FileInstall offers the files again.
            for (Configuration c : configs.byDomain(domain)) {
                String other = StoreConfigurations.source(c);
                if (other != null && !other.equals(source) && Files.isRegularFile(Path.of(other))
                        && canHandle(new File(other))) {
                    return other;
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list user store configurations: {}", e.toString());
        }
        return null;
    }

    private void refuse(String source, String domain, String type, String reason) {
        List<String> down = removeSource(source);
        status.fileFailed(source, domain, type, reason);
        LOG.error("User store file {} refused: {}{}", source, reason,
                down.isEmpty() ? "" : "; store " + String.join(", ", down) + " taken down");
        release(source, down);
    }

    /** Frees the domains a file had and deploys the files that wait for them. */
    private void release(String source, List<String> removedDomains) {
        Set<String> freed = new TreeSet<>(removedDomains);
        claims.entrySet().removeIf(e -> e.getValue().equals(source) && freed.add(e.getKey()));
        for (String domain : freed) {
            Set<String> waiting = blocked.remove(domain);
            if (waiting == null) {
                continue;
            }
            for (String other : new ArrayList<>(waiting)) {
                if (!other.equals(source) && Files.isRegularFile(Path.of(other))) {
                    deploy(Path.of(other));
                }
            }
        }
    }

    private List<String> removeSource(String source) {
        try {
            return configs.removeSource(source);
        } catch (IOException e) {
            LOG.error("Cannot remove the configuration made from {}: {}", source, e.toString());
            return List.of();
        }
    }

    /** The domain a file's name implies, shown for a file too broken to say its own. */
    private static String impliedDomain(Path file) {
        String name = file.getFileName().toString();
        return UserStoreFileParser.isUserStoreFileName(name)
                ? name.substring(0, name.length() - 4).replace('_', '.').toUpperCase(Locale.ROOT) : "";
    }

    private String source(Path file) {
        return directory.resolve(file.getFileName().toString()).toString();
    }
}
