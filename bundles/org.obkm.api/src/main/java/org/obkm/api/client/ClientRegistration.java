package org.obkm.api.client;

import java.util.List;
import java.util.Set;

/**
 * What an operator asks for when registering a client. Validated by {@link ClientService#create}, and
 * held to its profile ({@link ClientPolicies#resolve}); the server generates the client identifier and,
 * for secret-based methods, the secret.
 *
 * @param profile the client profile, or {@code null} for the configured default
 * @param parRequired whether PAR is required, or {@code null} for what the profile asks
 * @param senderConstrained whether tokens must be sender-constrained, or {@code null} for what the profile asks
 * @param jarm the client's JARM metadata (JARM §5), or {@code null} for the defaults
 * @param software what dynamic client registration records (RFC 7591 software statement), or {@code null}
 *        for a client without one
 */
public record ClientRegistration(String name, Set<String> grantTypes, Set<String> scopes,
        TokenEndpointAuthMethod authMethod, String jwks, String jwksUri, List<String> redirectUris,
        String tlsSubjectDn, String profile, Boolean parRequired, Boolean senderConstrained, JarmAlgorithms jarm,
        SoftwareRegistration software) {

    public ClientRegistration {
        grantTypes = grantTypes == null ? Set.of() : Set.copyOf(grantTypes);
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
        jarm = jarm == null ? JarmAlgorithms.DEFAULT : jarm;
        software = software == null ? SoftwareRegistration.NONE : software;
    }

    /** A registration without a software statement. */
    public ClientRegistration(String name, Set<String> grantTypes, Set<String> scopes,
            TokenEndpointAuthMethod authMethod, String jwks, String jwksUri, List<String> redirectUris,
            String tlsSubjectDn, String profile, Boolean parRequired, Boolean senderConstrained, JarmAlgorithms jarm) {
        this(name, grantTypes, scopes, authMethod, jwks, jwksUri, redirectUris, tlsSubjectDn, profile, parRequired,
                senderConstrained, jarm, SoftwareRegistration.NONE);
    }

    /** A registration with the default JARM algorithms. */
    public ClientRegistration(String name, Set<String> grantTypes, Set<String> scopes,
            TokenEndpointAuthMethod authMethod, String jwks, String jwksUri, List<String> redirectUris,
            String tlsSubjectDn, String profile, Boolean parRequired, Boolean senderConstrained) {
        this(name, grantTypes, scopes, authMethod, jwks, jwksUri, redirectUris, tlsSubjectDn, profile, parRequired,
                senderConstrained, JarmAlgorithms.DEFAULT);
    }

    /** A registration with the configured default profile. */
    public ClientRegistration(String name, Set<String> grantTypes, Set<String> scopes,
            TokenEndpointAuthMethod authMethod, String jwks, String jwksUri, List<String> redirectUris,
            String tlsSubjectDn) {
        this(name, grantTypes, scopes, authMethod, jwks, jwksUri, redirectUris, tlsSubjectDn, null, null, null,
                JarmAlgorithms.DEFAULT);
    }

    /** The same registration for another profile. */
    public ClientRegistration withProfile(String newProfile) {
        return new ClientRegistration(name, grantTypes, scopes, authMethod, jwks, jwksUri, redirectUris,
                tlsSubjectDn, newProfile, parRequired, senderConstrained, jarm, software);
    }
}
