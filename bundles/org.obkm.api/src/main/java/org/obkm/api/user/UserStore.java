package org.obkm.api.user;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A user store: one domain of users. A store implements the capability interfaces it supports
 * (each of them extends this one) and registers under all of them with the service property
 * {@value #DOMAIN_PROPERTY}; callers ask for a capability with {@link #as(Class)}.
 *
 * <p>Implemented by store bundles, also outside this project; new abilities come as new capability
 * interfaces rather than new methods here.
 */
@ConsumerType
public interface UserStore {

    /** Service property naming the store's domain; the same value as {@link #domain()}. */
    String DOMAIN_PROPERTY = "obkm.userstore.domain";

    /** Domain of the primary store, the one in the shared database; plain user names belong to it. */
    String PRIMARY = "PRIMARY";

    /** The domain name, upper case, such as {@value #PRIMARY}. */
    String domain();

    /** This store as the given capability, or empty when the store does not offer it. */
    default <T extends UserStore> Optional<T> as(Class<T> capability) {
        return capability.isInstance(this) ? Optional.of(capability.cast(this)) : Optional.empty();
    }
}
