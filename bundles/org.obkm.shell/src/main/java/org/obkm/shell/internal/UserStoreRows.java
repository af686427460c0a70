package org.obkm.shell.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.obkm.api.user.UserStore;
import org.obkm.api.user.UserStoreDeployments;
import org.obkm.api.user.UserStoreRegistry;
import org.obkm.api.user.UserStoreStatus;
import org.obkm.api.user.UserStoreStatus.State;

/** The rows of {@code obkm:userstore-list}: files of the folder, plus stores that came as plain services. */
final class UserStoreRows {

    private static final Instant UNKNOWN = Instant.EPOCH;

    private UserStoreRows() {
    }

    static List<UserStoreStatus> all(UserStoreRegistry registry, UserStoreDeployments deployments) {
        List<UserStoreStatus> rows = new ArrayList<>();
        Set<String> fromFiles = new HashSet<>();
        if (deployments != null) {
            for (UserStoreStatus s : deployments.list()) {
                rows.add(s);
                if (s.state() == State.ACTIVE) {
                    fromFiles.add(s.domain().toUpperCase(Locale.ROOT));
                }
            }
        }
        for (String domain : registry.domains()) {
            if (!fromFiles.contains(domain.toUpperCase(Locale.ROOT))) {
                String source = UserStore.PRIMARY.equals(domain) ? "etc/org.obkm.userstore.jdbc.cfg" : "(service)";
                String type = UserStore.PRIMARY.equals(domain) ? "jdbc" : "";
                rows.add(new UserStoreStatus(domain, type, source, State.ACTIVE, "", UNKNOWN));
            }
        }
        rows.sort(Comparator.comparing((UserStoreStatus s) -> !UserStore.PRIMARY.equals(s.domain()))
                .thenComparing(UserStoreStatus::domain).thenComparing(UserStoreStatus::source));
        return rows;
    }

    /** Whether a row's start time is known (stores registered as services carry none). */
    static boolean known(Instant since) {
        return !UNKNOWN.equals(since);
    }

    /** The status of the file of this domain, if one was seen. */
    static UserStoreStatus fileOf(UserStoreDeployments deployments, String domain) {
        if (deployments == null) {
            return null;
        }
        return deployments.list().stream().filter(s -> s.domain().equalsIgnoreCase(domain)).findFirst().orElse(null);
    }
}
