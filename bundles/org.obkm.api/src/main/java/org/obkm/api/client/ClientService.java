package org.obkm.api.client;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered clients, stored in the shared database and cached per node. Every write is
 * invalidated on every cluster member before the call returns.
 */
@ProviderType
public interface ClientService {

    /**
     * Validates and stores a registration.
     *
     * @throws IllegalArgumentException with a message fit for an operator when the registration is invalid
     */
    CreatedClient create(ClientRegistration registration);

    /**
     * Changes a registered client; the result is held to its (possibly new) profile.
     *
     * @return the updated client, or empty when there is no client with this identifier
     * @throws IllegalArgumentException with a message fit for an operator when the change is invalid
     */
    Optional<Client> update(String clientId, ClientUpdate update);

    /** The client with this identifier, from the node cache or the database. */
    Optional<Client> find(String clientId);

    /** All clients, ordered by creation time. */
    List<Client> list();

    /** Deletes a client; returns whether it existed. */
    boolean delete(String clientId);

    /** Checks a presented secret against the client's stored hash in constant time. */
    boolean verifySecret(Client client, String presentedSecret);
}
