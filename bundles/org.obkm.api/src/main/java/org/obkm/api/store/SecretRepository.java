package org.obkm.api.store;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Named encrypted values in the shared database; the first writer of a name wins. */
@ProviderType
public interface SecretRepository {

    Optional<String> find(String name);

    /** Stores the value unless the name exists; returns whether this call stored it. */
    boolean insertIfAbsent(String name, String value);
}
