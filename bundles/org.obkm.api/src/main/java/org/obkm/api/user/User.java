package org.obkm.api.user;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user as a store knows it.
 *
 * @param id          stable, unique within the domain and never reused: the basis of the subject
 *                    ({@code sub}) of ID tokens (OpenID Connect Core 1.0 section 2), which must not
 *                    change when the user is renamed
 * @param domain      the store's domain, such as {@value UserStore#PRIMARY}
 * @param username    the name the user signs in with, without the domain
 * @param displayName a name for pages and consent screens; may be empty, never null
 * @param locked      whether the user cannot sign in now (locked by an administrator or after too many
 *                    failed attempts)
 * @param attributes  further attributes, multi-valued as in a directory; unmodifiable
 */
public record User(String id, String domain, String username, String displayName, boolean locked,
        Map<String, List<String>> attributes) {

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(username, "username");
        displayName = displayName == null ? "" : displayName;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /**
     * The subject ({@code sub}) of this user's tokens: the id for {@value UserStore#PRIMARY} users,
     * {@code DOMAIN/id} for users of other stores, so it is unique across domains and survives renames.
     */
    public String subject() {
        return UserStore.PRIMARY.equals(domain) ? id : domain + "/" + id;
    }
}
