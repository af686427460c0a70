package org.obkm.shell.internal;

import org.obkm.api.user.ResolvedName;
import org.obkm.api.user.UserAdmin;
import org.obkm.api.user.UserStoreRegistry;

/**
 * The writable store and username a user command's {@code [DOMAIN/]username} names: a plain name is a
 * user of the primary store, {@code DOMAIN/name} one of a secondary store that can manage users (type
 * jdbc). Directories are read-only: their users are managed in the directory.
 */
record WritableUsers(UserAdmin admin, String username, String qualified) {

    static WritableUsers of(UserStoreRegistry registry, String name) {
        ResolvedName resolved = registry.resolve(name).orElseThrow(() -> new IllegalArgumentException(
                "no user store for '" + name + "'; domains up: " + String.join(", ", registry.domains())
                        + " (see obkm:userstore-list)"));
        UserAdmin admin = resolved.as(UserAdmin.class).orElseThrow(() -> new IllegalArgumentException(
                "user store " + resolved.domain() + " is read-only: manage its users in the directory itself"));
        return new WritableUsers(admin, resolved.username(), name);
    }
}
