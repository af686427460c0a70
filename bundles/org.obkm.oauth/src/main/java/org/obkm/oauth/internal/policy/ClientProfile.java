package org.obkm.oauth.internal.policy;

import java.util.ArrayList;
import java.util.List;

import org.obkm.api.client.ClientPolicy;
import org.obkm.oauth.internal.OAuthException;

/**
 * A client profile ({@code fapi2-security-profile}, {@code fapi2-message-signing}, {@code fapi1-advanced},
 * {@code none}, or one an operator defines): a name, the checks, by name and in order, that its clients pass
 * at every event each check names, and its {@link ProfileSettings} (refresh token rotation, client
 * assertion audiences).
 *
 * @param name the profile name, stored on each client record
 * @param checkNames the configured check names, in the order they run
 * @param checks the checks those names denote
 * @param settings what the profile decides beyond its checks
 */
public record ClientProfile(String name, List<String> checkNames, List<PolicyCheck> checks, ProfileSettings settings) {

    public ClientProfile {
        checkNames = List.copyOf(checkNames);
        checks = List.copyOf(checks);
        java.util.Objects.requireNonNull(settings, "settings");
    }

    /** Resolves the check names against {@link PolicyChecks}; the checks every profile has come last. */
    public static ClientProfile of(String name, List<String> checkNames, ProfileSettings settings) {
        List<String> names = new ArrayList<>(checkNames);
        PolicyChecks.ALWAYS.stream().filter(c -> !names.contains(c)).forEach(names::add);
        return new ClientProfile(name, names, names.stream().map(PolicyChecks::named).toList(), settings);
    }

    /**
     * Runs, in order, the checks that apply to the context's event: the profile's, then what the client
     * record requires beyond them. The first refusal is the answer.
     */
    public void enforce(PolicyContext context) throws OAuthException {
        for (PolicyCheck c : checks) {
            run(c, context);
        }
        ClientPolicy record = context.client().policy();
        if (record.parRequired() && !has(PolicyChecks.PAR_REQUIRED)) {
            run(PolicyChecks.named(PolicyChecks.PAR_REQUIRED), context);
        }
        if (record.senderConstrained() && !has(PolicyChecks.SENDER_CONSTRAINED)) {
            run(PolicyChecks.named(PolicyChecks.SENDER_CONSTRAINED), context);
        }
    }

    private static void run(PolicyCheck check, PolicyContext context) throws OAuthException {
        if (check.events().contains(context.event())) {
            check.check(context);
        }
    }

    /** Whether the profile names this check. */
    public boolean has(String checkName) {
        return checkNames.contains(checkName);
    }
}
