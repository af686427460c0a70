package org.obkm.api.client;

import java.util.List;
import java.util.Set;

/**
 * A change to a registered client, as an operator asks it ({@code obkm:client-update}) or a client
 * through registration management (RFC 7592). Every {@code null} leaves that metadata as it is; the
 * result is held to the client's profile like a new registration. The authentication method and the
 * secret do not change here. In {@code jarm}, each {@code null} leaves that algorithm as it is and an
 * empty string removes it (the default applies again); clearing the encryption algorithm clears its
 * content encryption too, unless the update names one. {@code software}, when not {@code null}, replaces the
 * whole software registration record (a PUT of RFC 7592 brings a new software statement).
 */
public record ClientUpdate(String name, Set<String> grantTypes, Set<String> scopes, List<String> redirectUris,
        String jwks, String jwksUri, String tlsSubjectDn, String profile, Boolean parRequired,
        Boolean senderConstrained, JarmAlgorithms jarm, SoftwareRegistration software) {

    public ClientUpdate {
        grantTypes = grantTypes == null ? null : Set.copyOf(grantTypes);
        scopes = scopes == null ? null : Set.copyOf(scopes);
        redirectUris = redirectUris == null ? null : List.copyOf(redirectUris);
    }

    /** A change that leaves the software registration record as it is. */
    public ClientUpdate(String name, Set<String> grantTypes, Set<String> scopes, List<String> redirectUris,
            String jwks, String jwksUri, String tlsSubjectDn, String profile, Boolean parRequired,
            Boolean senderConstrained, JarmAlgorithms jarm) {
        this(name, grantTypes, scopes, redirectUris, jwks, jwksUri, tlsSubjectDn, profile, parRequired,
                senderConstrained, jarm, null);
    }

    /** A change that leaves the JARM algorithms as they are. */
    public ClientUpdate(String name, Set<String> grantTypes, Set<String> scopes, List<String> redirectUris,
            String jwks, String jwksUri, String tlsSubjectDn, String profile, Boolean parRequired,
            Boolean senderConstrained) {
        this(name, grantTypes, scopes, redirectUris, jwks, jwksUri, tlsSubjectDn, profile, parRequired,
                senderConstrained, null, null);
    }

    /** A change of the profile alone (its requirements then follow the new profile). */
    public static ClientUpdate profile(String profile) {
        return new ClientUpdate(null, null, null, null, null, null, null, profile, null, null);
    }
}
