package org.obkm.api.store;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Signing keys in the shared database. */
@ProviderType
public interface KeyRepository {

    List<StoredKey> findAll();

    void insert(StoredKey key);

    /** Marks every active key of the algorithm but {@code keepKid} inactive (rotation). */
    void deactivateOthers(String algorithm, String keepKid);
}
