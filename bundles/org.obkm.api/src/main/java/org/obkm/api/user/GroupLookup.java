package org.obkm.api.user;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/** Capability: the groups (roles) of users, as a directory keeps them. */
@ConsumerType
public interface GroupLookup extends UserStore {

    /**
     * Names of the groups this user (username without domain) belongs to, ordered by name; empty when
     * the user has none, is unknown, or the store does not read groups.
     *
     * @throws IllegalStateException when the store cannot be reached
     */
    List<String> groupsOf(String username);

    /**
     * Names of groups containing {@code filter} (ignoring case; null or blank for all), ordered by
     * name, at most {@code limit}.
     *
     * @throws IllegalArgumentException when limit is below 1
     * @throws IllegalStateException    when the store cannot be reached
     */
    List<String> searchGroups(String filter, int limit);
}
