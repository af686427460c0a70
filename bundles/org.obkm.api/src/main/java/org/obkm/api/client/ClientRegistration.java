package org.obkm.api.client;

import java.util.List;
import java.util.Set;

/**
 * What an operator asks for when registering a client. Validated by {@link ClientService#create};
 * the server generates the client identifier and, for secret-based methods, the secret.
 */
public record ClientRegistration(String name, Set<String> grantTypes, Set<String> scopes,
        TokenEndpointAuthMethod authMethod, String jwks, String jwksUri, List<String> redirectUris,
        String tlsSubjectDn) {

    public ClientRegistration {
        grantTypes = grantTypes == null ? Set.of() : Set.copyOf(grantTypes);
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
    }
}
