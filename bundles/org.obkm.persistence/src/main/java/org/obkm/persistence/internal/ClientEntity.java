package org.obkm.persistence.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientPolicy;
import org.obkm.api.client.JarmAlgorithms;
import org.obkm.api.client.SoftwareRegistration;
import org.obkm.api.client.TokenEndpointAuthMethod;

/** Row of {@code obkm_client}. Multi-valued metadata is stored space-separated, as OAuth does. */
@Entity
@Table(name = "obkm_client")
public class ClientEntity {

    @Id
    @Column(name = "client_id")
    private String clientId;
    @Column(name = "name")
    private String name;
    @Column(name = "grant_types")
    private String grantTypes;
    @Column(name = "scopes")
    private String scopes;
    @Column(name = "auth_method")
    private String authMethod;
    @Column(name = "secret_hash")
    private String secretHash;
    @Column(name = "jwks")
    private String jwks;
    @Column(name = "jwks_uri")
    private String jwksUri;
    @Column(name = "redirect_uris")
    private String redirectUris;
    @Column(name = "tls_subject_dn")
    private String tlsSubjectDn;
    @Column(name = "created_at")
    private long createdAt;
    @Column(name = "updated_at")
    private Long updatedAt;
    @Column(name = "profile")
    private String profile;
    @Column(name = "par_required")
    private boolean parRequired;
    @Column(name = "sender_constrained")
    private boolean senderConstrained;
    @Column(name = "auth_methods")
    private String authMethods;
    @Column(name = "authorization_signed_response_alg")
    private String jarmSigningAlg;
    @Column(name = "authorization_encrypted_response_alg")
    private String jarmEncryptionAlg;
    @Column(name = "authorization_encrypted_response_enc")
    private String jarmEncryptionEnc;
    @Column(name = "software_id")
    private String softwareId;
    @Column(name = "organisation_id")
    private String organisationId;
    @Column(name = "software_roles")
    private String softwareRoles;
    @Column(name = "ssa_issuer")
    private String ssaIssuer;
    @Column(name = "software_environment")
    private String softwareEnvironment;
    @Column(name = "token_endpoint_auth_signing_alg")
    private String tokenEndpointAuthSigningAlg;
    @Column(name = "id_token_signed_response_alg")
    private String idTokenSignedResponseAlg;
    @Column(name = "request_object_signing_alg")
    private String requestObjectSigningAlg;
    @Column(name = "response_types")
    private String responseTypes;
    @Column(name = "application_type")
    private String applicationType;
    @Column(name = "registration_token_hash")
    private String registrationTokenHash;
    @Column(name = "disabled")
    private boolean disabled;

    protected ClientEntity() {
        // for JPA
    }

    static ClientEntity of(Client c) {
        ClientEntity e = new ClientEntity();
        e.clientId = c.clientId();
        e.name = c.name();
        e.grantTypes = String.join(" ", c.grantTypes());
        e.scopes = String.join(" ", c.scopes());
        e.authMethod = c.authMethod().value();
        e.secretHash = c.secretHash();
        e.jwks = c.jwks();
        e.jwksUri = c.jwksUri();
        e.redirectUris = String.join(" ", c.redirectUris());
        e.tlsSubjectDn = c.tlsSubjectDn();
        e.createdAt = c.createdAt().toEpochMilli();
        e.updatedAt = c.updatedAt().toEpochMilli();
        ClientPolicy p = c.policy();
        e.profile = p.profile();
        e.parRequired = p.parRequired();
        e.senderConstrained = p.senderConstrained();
        e.authMethods = p.assigned()
                ? String.join(" ", p.authMethods().stream().map(TokenEndpointAuthMethod::value).sorted().toList())
                : null;
        e.jarmSigningAlg = c.jarm().signingAlg();
        e.jarmEncryptionAlg = c.jarm().encryptionAlg();
        e.jarmEncryptionEnc = c.jarm().encryptionEnc();
        SoftwareRegistration r = c.software();
        e.softwareId = r.softwareId();
        e.organisationId = r.organisationId();
        e.softwareRoles = r.softwareRoles().isEmpty() ? null : String.join(" ", r.softwareRoles().stream().sorted().toList());
        e.ssaIssuer = r.ssaIssuer();
        e.softwareEnvironment = r.softwareEnvironment();
        e.tokenEndpointAuthSigningAlg = r.tokenEndpointAuthSigningAlg();
        e.idTokenSignedResponseAlg = r.idTokenSignedResponseAlg();
        e.requestObjectSigningAlg = r.requestObjectSigningAlg();
        // A response type holds a space itself ("code id_token"): stored comma-separated.
        e.responseTypes = r.responseTypes().isEmpty() ? null : String.join(",", r.responseTypes().stream().sorted().toList());
        e.applicationType = r.applicationType();
        e.registrationTokenHash = r.registrationTokenHash();
        e.disabled = r.disabled();
        return e;
    }

    Client toClient() {
        ClientPolicy policy = profile == null ? ClientPolicy.UNASSIGNED
                : new ClientPolicy(profile, parRequired, senderConstrained, split(authMethods).stream()
                        .map(TokenEndpointAuthMethod::parse).collect(Collectors.toSet()));
        Instant created = Instant.ofEpochMilli(createdAt);
        return new Client(clientId, name, split(grantTypes), split(scopes), TokenEndpointAuthMethod.parse(authMethod),
                secretHash, jwks, jwksUri, List.copyOf(split(redirectUris)), tlsSubjectDn, created,
                updatedAt == null ? created : Instant.ofEpochMilli(updatedAt), policy,
                new JarmAlgorithms(jarmSigningAlg, jarmEncryptionAlg, jarmEncryptionEnc),
                new SoftwareRegistration(softwareId, organisationId, split(softwareRoles), ssaIssuer, softwareEnvironment,
                        tokenEndpointAuthSigningAlg, idTokenSignedResponseAlg, requestObjectSigningAlg,
                        responseTypes == null ? Set.of() : Set.of(responseTypes.split(",")), applicationType,
                        registrationTokenHash, disabled));
    }

    private static Set<String> split(String joined) {
        if (joined == null || joined.isBlank()) {
            return Set.of();
        }
        return new LinkedHashSet<>(Arrays.asList(joined.trim().split(" +")));
    }
}
