package org.obkm.api.user;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of one user store file.
 *
 * @param domain    the domain the file declares or its name implies; may be empty when unreadable
 * @param type      the store type or original class name the file asks for; may be empty
 * @param source    the file, absolute path
 * @param state     what became of it
 * @param lastError why it failed or waits, fit for an operator; empty when active
 * @param since     when it entered this state
 */
public record UserStoreStatus(String domain, String type, String source, State state, String lastError,
        Instant since) {

    /** What became of a user store file. */
    public enum State {
        /** The store serves sign-ins. */
        ACTIVE,
        /** The file is valid but no installed bundle provides its type yet. */
        WAITING_FOR_TYPE,
        /** The file says {@code Disabled = true}. */
        DISABLED,
        /** The file was refused or its store failed to start; see lastError. */
        FAILED
    }

    public UserStoreStatus {
        domain = domain == null ? "" : domain;
        type = type == null ? "" : type;
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(state, "state");
        lastError = lastError == null ? "" : lastError;
        Objects.requireNonNull(since, "since");
    }
}
