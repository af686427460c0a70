package org.obkm.api.user;

import java.util.Objects;
import java.util.Optional;

/**
 * A sign-in name resolved by {@link UserStoreRegistry#resolve(String)}: the store it belongs to and
 * the username within that store (the name without its domain prefix).
 */
public record ResolvedName(UserStore store, String username) {

    public ResolvedName {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(username, "username");
    }

    public String domain() {
        return store.domain();
    }

    /** The store as the given capability, or empty when it does not offer it. */
    public <T extends UserStore> Optional<T> as(Class<T> capability) {
        return store.as(capability);
    }
}
