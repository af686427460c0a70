package org.obkm.api.user;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/** Capability: list and search users, for operators. */
@ConsumerType
public interface UserQuery extends UserStore {

    /**
     * Users whose username or display name contains {@code filter} (ignoring case), ordered by
     * username, at most {@code limit} of them.
     *
     * @param filter a substring to look for; null or blank lists all users
     * @param limit  the largest number of users returned, at least 1
     * @throws IllegalArgumentException when limit is below 1
     * @throws IllegalStateException    when the store cannot be reached
     */
    List<User> search(String filter, int limit);
}
