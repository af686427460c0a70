package org.obkm.dcr.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.obkm.api.client.Client;
import org.obkm.api.client.SoftwareRegistration;

/**
 * A registered client as RFC 7591 §3.2.1 and UK OB DCR 3.3 OBClientRegistrationResponse1 return it: the
 * metadata as stored (what the bank substituted, e.g. a default response type or signing algorithm, is what
 * is returned), client_id, client_id_issued_at, and RFC 7592 §3's registration_client_uri.
 */
final class RegistrationJson {

    private RegistrationJson() {
    }

    static Map<String, Object> of(Client c, String baseUrl) {
        SoftwareRegistration s = c.software();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", c.clientId());
        m.put("client_id_issued_at", c.createdAt().getEpochSecond());
        m.put("client_name", c.name());
        m.put("redirect_uris", c.redirectUris());
        m.put("grant_types", List.copyOf(new java.util.TreeSet<>(c.grantTypes())));
        m.put("response_types", List.copyOf(new java.util.TreeSet<>(s.responseTypes())));
        m.put("scope", String.join(" ", new java.util.TreeSet<>(c.scopes())));
        m.put("token_endpoint_auth_method", c.authMethod().value());
        put(m, "token_endpoint_auth_signing_alg", s.tokenEndpointAuthSigningAlg());
        put(m, "tls_client_auth_subject_dn", c.tlsSubjectDn());
        put(m, "id_token_signed_response_alg", s.idTokenSignedResponseAlg());
        put(m, "request_object_signing_alg", s.requestObjectSigningAlg());
        put(m, "jwks_uri", c.jwksUri());
        put(m, "application_type", s.applicationType());
        put(m, "software_id", s.softwareId());
        put(m, "org_id", s.organisationId());
        m.put("software_roles", List.copyOf(new java.util.TreeSet<>(s.softwareRoles())));
        m.put("registration_client_uri", baseUrl + RegistrationServlet.PATH + "/" + c.clientId());
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
