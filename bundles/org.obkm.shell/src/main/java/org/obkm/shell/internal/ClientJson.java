package org.obkm.shell.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientPolicy;
import org.obkm.api.client.TokenEndpointAuthMethod;

/**
 * RFC 7591 names for a client's metadata, for {@code --json} output and the show command; RFC 9126 §6
 * {@code require_pushed_authorization_requests} and OBKM's names for the rest of the client's policy.
 */
final class ClientJson {

    private ClientJson() {
    }

    static Map<String, Object> metadata(Client c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", c.clientId());
        m.put("client_name", c.name());
        m.put("grant_types", c.grantTypes().stream().sorted().toList());
        m.put("scope", String.join(" ", c.scopes().stream().sorted().toList()));
        m.put("token_endpoint_auth_method", c.authMethod().value());
        if (c.jwks() != null) {
            m.put("jwks", c.jwks());
        }
        if (c.jwksUri() != null) {
            m.put("jwks_uri", c.jwksUri());
        }
        m.put("redirect_uris", c.redirectUris());
        if (c.tlsSubjectDn() != null) {
            m.put("tls_client_auth_subject_dn", c.tlsSubjectDn());
        }
        m.put("client_id_issued_at", c.createdAt().getEpochSecond());
        m.put("updated_at", c.updatedAt().getEpochSecond());
        ClientPolicy p = c.policy();
        // null until the node's migration stores it: the default profile applies meanwhile.
        m.put("profile", p.profile());
        if (p.assigned()) {
            m.put("require_pushed_authorization_requests", p.parRequired());
            m.put("sender_constrained_tokens", p.senderConstrained());
            m.put("token_endpoint_auth_methods_allowed",
                    p.authMethods().stream().map(TokenEndpointAuthMethod::value).sorted().toList());
        }
        // JARM section 5; the signing algorithm is shown with its default, as it is used.
        m.put("authorization_signed_response_alg", c.jarm().signingAlgOrDefault());
        if (c.jarm().encrypted()) {
            m.put("authorization_encrypted_response_alg", c.jarm().encryptionAlg());
            m.put("authorization_encrypted_response_enc", c.jarm().encryptionEncOrDefault());
        }
        // What dynamic client registration recorded (RFC 7591 software statement, UK OB DCR 3.3).
        org.obkm.api.client.SoftwareRegistration s = c.software();
        if (s.hasSoftwareStatement()) {
            m.put("software_id", s.softwareId());
            m.put("org_id", s.organisationId());
            m.put("software_roles", s.softwareRoles().stream().sorted().toList());
            m.put("software_statement_issuer", s.ssaIssuer());
            if (s.softwareEnvironment() != null) {
                m.put("software_environment", s.softwareEnvironment());
            }
            m.put("response_types", s.responseTypes().stream().sorted().toList());
        }
        m.put("disabled", s.disabled());
        return m;
    }
}
