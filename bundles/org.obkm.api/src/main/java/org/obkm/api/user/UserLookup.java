package org.obkm.api.user;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/** Capability: find one user by the name the user signs in with. */
@ConsumerType
public interface UserLookup extends UserStore {

    /**
     * The user with this username (without domain), or empty when there is none or the name is not
     * a valid username for this store.
     *
     * @throws IllegalStateException when the store cannot be reached
     */
    Optional<User> findByUsername(String username);

    /**
     * The user with this stable id ({@link User#id()}), or empty. Stores that cannot look up by id keep
     * the default, which finds nobody; the userinfo endpoint then answers from the token alone.
     *
     * @throws IllegalStateException when the store cannot be reached
     */
    default Optional<User> findById(String id) {
        return Optional.empty();
    }
}
