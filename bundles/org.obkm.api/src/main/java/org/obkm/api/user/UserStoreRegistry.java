package org.obkm.api.user;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The user stores of this node, by domain, and the resolution of sign-in names: {@code DOMAIN/username}
 * (the separator is configurable, {@code /} by default, as in the original product) names a user of
 * the store of that domain, a name without separator a user of the {@value UserStore#PRIMARY} store.
 * Domains compare ignoring case. The registry follows stores as they come and go (a store added to
 * the shared folder, a directory configuration deleted).
 */
@ProviderType
public interface UserStoreRegistry {

    /** The store of this domain (ignoring case), or empty. */
    Optional<UserStore> store(String domain);

    /** The domains of the registered stores, {@value UserStore#PRIMARY} first, then alphabetical. */
    List<String> domains();

    /**
     * Resolves a sign-in name to its store and the username within it. Empty when the name is null or
     * blank, names a domain that has no store, or has nothing after the separator.
     */
    Optional<ResolvedName> resolve(String name);

    /**
     * Resolves the name and checks the password with the store's {@link CredentialCheck}. An unknown
     * domain, or a store that cannot check passwords, gives {@link AuthenticationResult.Outcome#BAD_CREDENTIALS}.
     * Never throws.
     */
    AuthenticationResult authenticate(String name, char[] password);

    /**
     * The user a subject ({@link User#subject()}) names: {@code id} in the {@value UserStore#PRIMARY}
     * store, {@code DOMAIN/id} in that domain's store. Empty when the store is gone, cannot look up by
     * id, or has no such user; never throws.
     */
    Optional<User> findBySubject(String subject);
}
