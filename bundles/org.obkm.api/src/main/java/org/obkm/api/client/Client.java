package org.obkm.api.client;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A registered OAuth client, immutable. Field names follow RFC 7591 client metadata. The secret is
 * never held here, only its hash.
 *
 * @param clientId the client identifier (RFC 6749 §2.2)
 * @param name human-readable name ({@code client_name})
 * @param grantTypes allowed grant types ({@code grant_types})
 * @param scopes scopes the client may request; also the default when a request names none
 * @param authMethod the one token endpoint authentication method the client must use
 * @param secretHash hash of the client secret, or {@code null} for methods without a secret
 * @param jwks the client's public keys as a JWK Set JSON document, or {@code null}
 * @param jwksUri where the client publishes its JWK Set, or {@code null}
 * @param redirectUris registered redirect URIs, exact-match
 * @param tlsSubjectDn expected certificate subject DN for {@code tls_client_auth}, or {@code null}
 * @param createdAt when the client was registered
 * @param updatedAt when the client was last changed (its registration time until then)
 * @param policy the profile and requirements the client is held to at every event
 * @param jarm how its JWT Secured Authorization Responses are signed and encrypted (JARM §5)
 * @param software what dynamic client registration recorded (software statement, algorithms, disabled), or
 *        {@link SoftwareRegistration#NONE}
 */
public record Client(String clientId, String name, Set<String> grantTypes, Set<String> scopes,
        TokenEndpointAuthMethod authMethod, String secretHash, String jwks, String jwksUri,
        List<String> redirectUris, String tlsSubjectDn, Instant createdAt, Instant updatedAt,
        ClientPolicy policy, JarmAlgorithms jarm, SoftwareRegistration software) {

    public Client {
        grantTypes = Set.copyOf(grantTypes);
        scopes = Set.copyOf(scopes);
        redirectUris = List.copyOf(redirectUris);
        updatedAt = updatedAt == null ? createdAt : updatedAt;
        policy = policy == null ? ClientPolicy.UNASSIGNED : policy;
        jarm = jarm == null ? JarmAlgorithms.DEFAULT : jarm;
        software = software == null ? SoftwareRegistration.NONE : software;
    }

    /** A client without a software statement (made in the shell). */
    public Client(String clientId, String name, Set<String> grantTypes, Set<String> scopes,
            TokenEndpointAuthMethod authMethod, String secretHash, String jwks, String jwksUri,
            List<String> redirectUris, String tlsSubjectDn, Instant createdAt, Instant updatedAt,
            ClientPolicy policy, JarmAlgorithms jarm) {
        this(clientId, name, grantTypes, scopes, authMethod, secretHash, jwks, jwksUri, redirectUris, tlsSubjectDn,
                createdAt, updatedAt, policy, jarm, SoftwareRegistration.NONE);
    }

    /** A client with the default JARM algorithms. */
    public Client(String clientId, String name, Set<String> grantTypes, Set<String> scopes,
            TokenEndpointAuthMethod authMethod, String secretHash, String jwks, String jwksUri,
            List<String> redirectUris, String tlsSubjectDn, Instant createdAt, Instant updatedAt,
            ClientPolicy policy) {
        this(clientId, name, grantTypes, scopes, authMethod, secretHash, jwks, jwksUri, redirectUris, tlsSubjectDn,
                createdAt, updatedAt, policy, JarmAlgorithms.DEFAULT, SoftwareRegistration.NONE);
    }

    /** A client without a stored profile yet (the default profile applies), as registered at {@code createdAt}. */
    public Client(String clientId, String name, Set<String> grantTypes, Set<String> scopes,
            TokenEndpointAuthMethod authMethod, String secretHash, String jwks, String jwksUri,
            List<String> redirectUris, String tlsSubjectDn, Instant createdAt) {
        this(clientId, name, grantTypes, scopes, authMethod, secretHash, jwks, jwksUri, redirectUris, tlsSubjectDn,
                createdAt, createdAt, ClientPolicy.UNASSIGNED, JarmAlgorithms.DEFAULT, SoftwareRegistration.NONE);
    }

    /** The same client held to another policy. */
    public Client withPolicy(ClientPolicy newPolicy) {
        return new Client(clientId, name, grantTypes, scopes, authMethod, secretHash, jwks, jwksUri, redirectUris,
                tlsSubjectDn, createdAt, updatedAt, newPolicy, jarm, software);
    }

    /** The same client with other JARM algorithms. */
    public Client withJarm(JarmAlgorithms newJarm) {
        return new Client(clientId, name, grantTypes, scopes, authMethod, secretHash, jwks, jwksUri, redirectUris,
                tlsSubjectDn, createdAt, updatedAt, policy, newJarm, software);
    }

    /** The same client with another software registration record. */
    public Client withSoftware(SoftwareRegistration newSoftware) {
        return new Client(clientId, name, grantTypes, scopes, authMethod, secretHash, jwks, jwksUri, redirectUris,
                tlsSubjectDn, createdAt, updatedAt, policy, jarm, newSoftware);
    }

    /** Whether an operator disabled this client: it then authenticates at no endpoint. */
    public boolean disabled() {
        return software.disabled();
    }

    /** Whether this client may use the given grant type. */
    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }
}
