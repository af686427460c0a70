package org.obkm.api.user;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.osgi.annotation.versioning.ConsumerType;

/** Capability: a self test an operator runs ({@code obkm:userstore-test DOMAIN}). */
@ConsumerType
public interface StoreDiagnostics extends UserStore {

    /**
     * Runs the store's checks in order (for a directory: connect to each replica, bind as the service
     * account, a sample search) and reports each; stops after the first failed step when later steps
     * depend on it. Never throws; bounded by the store's timeouts.
     */
    List<Step> test();

    /**
     * One check.
     *
     * @param name   what was checked, e.g. {@code connect ldap://dir1:389}
     * @param ok     whether it passed
     * @param took   how long it took
     * @param detail what was found, or why it failed; never a secret
     */
    record Step(String name, boolean ok, Duration took, String detail) {
        public Step {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(took, "took");
            detail = detail == null ? "" : detail;
        }
    }
}
