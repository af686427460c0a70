package org.obkm.userstore.deployer.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.obkm.api.health.HealthIndicator;
import org.obkm.api.user.UserStoreDeployments;
import org.obkm.api.user.UserStoreStatus;
import org.obkm.api.user.UserStoreStatus.State;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The user store files in {@code /health}: how many are active, and which failed or wait for their
 * type. Always up: every node reads the same shared folder and the same directories, so a broken file
 * or a directory outage would take every node out of the load balancer at once, and with them the
 * primary store's sign-ins and all token traffic. Operators read the detail (and
 * {@code obkm:userstore-list}); the sign-ins of the affected domain say they are unavailable.
 */
@Component(service = HealthIndicator.class)
public final class UserStoresHealth implements HealthIndicator {

    private final UserStoreDeployments deployments;

    @Activate
    public UserStoresHealth(@Reference UserStoreDeployments deployments) {
        this.deployments = deployments;
    }

    @Override
    public String name() {
        return "userstores";
    }

    @Override
    public Status check() {
        Map<State, List<String>> byState = new EnumMap<>(State.class);
        for (UserStoreStatus s : deployments.list()) {
            byState.computeIfAbsent(s.state(), k -> new ArrayList<>()).add(s.domain().isEmpty()
                    ? fileName(s.source()) : s.domain());
        }
        List<String> parts = new ArrayList<>();
        parts.add(byState.getOrDefault(State.ACTIVE, List.of()).size() + " active");
        describe(parts, byState, State.FAILED, "failed");
        describe(parts, byState, State.WAITING_FOR_TYPE, "waiting for their type");
        describe(parts, byState, State.DISABLED, "disabled");
        return Status.up(String.join(", ", parts));
    }

    private static void describe(List<String> parts, Map<State, List<String>> byState, State state, String words) {
        List<String> domains = byState.get(state);
        if (domains != null) {
            parts.add(domains.size() + " " + words + " (" + String.join(" ", domains) + ")");
        }
    }

    private static String fileName(String source) {
        int slash = source.lastIndexOf('/');
        return slash < 0 ? source : source.substring(slash + 1);
    }
}
