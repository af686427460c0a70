package org.obkm.api.client;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The client profiles, asked by the client service at registration and update (the registration event
 * of the profile's checks, as Keycloak's client policies are asked at client registration).
 */
@ProviderType
public interface ClientPolicies {

    /**
     * The policy a client is stored with, after its profile's registration checks passed.
     *
     * @param candidate the client as it would be stored (its current policy is ignored)
     * @param profile the profile asked for, or {@code null} for the configured default
     * @param parRequired PAR required, or {@code null} for what the profile asks
     * @param senderConstrained sender-constrained tokens required, or {@code null} for what the profile asks
     * @throws IllegalArgumentException with a message for the operator (or the registering client) when the
     *         profile is unknown or the client does not meet it
     */
    ClientPolicy resolve(Client candidate, String profile, Boolean parRequired, Boolean senderConstrained);

    /** The names of the known profiles, sorted. */
    List<String> profileNames();
}
