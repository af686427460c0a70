package org.obkm.api.user;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Capability of writable stores: manage users. Every method throws {@link IllegalArgumentException}
 * with a message fit for an operator when the input is refused (an invalid username, a weak
 * password, a duplicate, an unknown user) and {@link IllegalStateException} when the store cannot be
 * reached. Passwords are taken as {@code char[]} so that callers can clear them.
 */
@ConsumerType
public interface UserAdmin extends UserStore {

    /** Adds a user with this password; returns it with its new stable id. */
    User add(String username, String displayName, char[] password);

    /** Replaces a user's password; this also ends a lockout after failed attempts (not an administrator's lock). */
    void setPassword(String username, char[] password);

    /** Locks a user until {@link #unlock(String)}; sign-in is refused meanwhile, whatever the password. */
    void lock(String username);

    /** Ends an administrator's lock and a lockout after failed attempts, and resets the failure count. */
    void unlock(String username);

    /** Deletes a user; returns whether the user existed. */
    boolean delete(String username);
}
