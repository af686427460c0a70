package org.obkm.userstore.deployer.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.obkm.api.user.UserStoreDeployments;
import org.obkm.api.user.UserStoreStatus;
import org.obkm.api.user.UserStoreStatus.State;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The state of every user store file of the folder, as {@code obkm:userstore-list} shows it. Two
 * parties report: the installer says what became of the file (refused, disabled, or configured), and
 * each domain's {@link SecondaryUserStore} what became of its store (up, failed, waiting for its type).
 * A configured file whose store has not reported waits for the bundle of its type.
 */
@Component(service = {UserStoreDeployments.class, UserStoreDeploymentsImpl.class}, immediate = true)
public final class UserStoreDeploymentsImpl implements UserStoreDeployments {

    private static final Comparator<UserStoreStatus> ORDER = Comparator.comparing(UserStoreStatus::domain)
            .thenComparing(UserStoreStatus::source);

    /** What the installer or the store said last, per source file. */
    private record Report(String domain, String type, State state, String error, Instant since) {
    }

    private final Clock clock;
    private final Map<String, Report> files = new HashMap<>();
    private final Map<String, Report> stores = new HashMap<>();
    private volatile String directory = "";

    @Activate
    public UserStoreDeploymentsImpl() {
        this(Clock.systemUTC());
    }

    UserStoreDeploymentsImpl(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized List<UserStoreStatus> list() {
        List<UserStoreStatus> out = new ArrayList<>();
        for (Map.Entry<String, Report> e : files.entrySet()) {
            Report f = e.getValue();
            Report s = stores.get(e.getKey());
            if (f.state() == null && s != null) {
                out.add(status(e.getKey(), s));
            } else if (f.state() == null) {
                out.add(new UserStoreStatus(f.domain(), f.type(), e.getKey(), State.WAITING_FOR_TYPE,
                        noBundleFor(f.type()), f.since()));
            } else {
                out.add(status(e.getKey(), f));
            }
        }
        for (Map.Entry<String, Report> e : stores.entrySet()) {
            if (!files.containsKey(e.getKey())) {
                out.add(status(e.getKey(), e.getValue()));
            }
        }
        out.sort(ORDER);
        return out;
    }

    /** The status of one file, if it was seen. */
    synchronized UserStoreStatus get(String source) {
        return list().stream().filter(s -> s.source().equals(source)).findFirst().orElse(null);
    }

    static String noBundleFor(String type) {
        return "no installed bundle provides type '" + type + "'";
    }

    private static UserStoreStatus status(String source, Report r) {
        return new UserStoreStatus(r.domain(), r.type(), source, r.state(), r.error(), r.since());
    }

    @Override
    public String directory() {
        return directory;
    }

    void directory(String dir) {
        this.directory = dir;
    }

    /** The file was refused. */
    synchronized void fileFailed(String source, String domain, String type, String error) {
        files.put(source, new Report(domain, type, State.FAILED, error, clock.instant()));
    }

    /** The file says Disabled = true. */
    synchronized void fileDisabled(String source, String domain, String type) {
        files.put(source, new Report(domain, type, State.DISABLED, "", clock.instant()));
    }

    /** The file is valid and has its configuration; its store reports from now on. */
    synchronized void fileConfigured(String source, String domain, String type) {
        Report old = files.get(source);
        if (old == null || old.state() != null || !old.domain().equals(domain) || !old.type().equals(type)) {
            files.put(source, new Report(domain, type, null, "", clock.instant()));
        }
    }

    /** Forgets the files of another folder (the folder was moved). */
    synchronized void forgetOutside(String dir) {
        Path d = Path.of(dir);
        files.keySet().removeIf(source -> !d.equals(Path.of(source).getParent()));
        stores.keySet().removeIf(source -> !d.equals(Path.of(source).getParent()));
    }

    /** The file is gone. */
    synchronized void fileRemoved(String source) {
        files.remove(source);
    }

    synchronized void storeActive(String source, String domain, String type) {
        stores.put(source, new Report(domain, type, State.ACTIVE, "", clock.instant()));
    }

    synchronized void storeFailed(String source, String domain, String type, String error) {
        stores.put(source, new Report(domain, type, State.FAILED, error, clock.instant()));
    }

    synchronized void storeWaiting(String source, String domain, String type, String reason) {
        stores.put(source, new Report(domain, type, State.WAITING_FOR_TYPE, reason, clock.instant()));
    }

    /** The store's component went away for a reason of its configuration, not of its type. */
    synchronized void storeGone(String source) {
        stores.remove(source);
    }
}
