package org.obkm.api.store;

import java.util.List;
import java.util.Optional;

import org.obkm.api.client.Client;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Client records in the shared database, as they are: no cache, no validation (the client service
 * adds both). Each call is one transaction.
 */
@ProviderType
public interface ClientRepository {

    void insert(Client client);

    /** Replaces the stored record of {@code client.clientId()}; returns whether there was one. */
    boolean update(Client client);

    Optional<Client> find(String clientId);

    /** All clients, ordered by creation time. */
    List<Client> list();

    /** Returns whether the client existed. */
    boolean delete(String clientId);
}
