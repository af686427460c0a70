package org.obkm.shell.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.obkm.api.client.Client;

/** RFC 7591 names for a client's metadata, for {@code --json} output and the show command. */
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
        return m;
    }
}
