package org.obkm.oauth.internal;

import java.util.List;

/**
 * A client profile ({@code fapi2}, {@code fapi1-advanced}, {@code none}, or one an operator defines):
 * a name and the checks, by name and in order, that every authorization request of its clients passes.
 *
 * @param name the profile name, stored with each pushed request
 * @param checkNames the configured check names, in the order they run
 * @param checks the checks those names denote
 */
record ClientProfile(String name, List<String> checkNames, List<AuthorizationRequestCheck> checks) {

    ClientProfile {
        checkNames = List.copyOf(checkNames);
        checks = List.copyOf(checks);
    }

    /** Resolves the check names against {@link RequestChecks}. */
    static ClientProfile of(String name, List<String> checkNames) {
        return new ClientProfile(name, checkNames, checkNames.stream().map(RequestChecks::named).toList());
    }

    /** Runs every check in order; the first refusal is the answer. */
    void check(RequestContext request) throws OAuthException {
        for (AuthorizationRequestCheck c : checks) {
            c.check(request);
        }
    }

    /** Whether the profile names this check. */
    boolean has(String checkName) {
        return checkNames.contains(checkName);
    }
}
