package org.obkm.oauth.internal.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.oauth.internal.OAuthException;

import com.nimbusds.oauth2.sdk.Scope;

public class ClientCredentialsGrantTest {

    private final Client client = new Client("c", "TPP", Set.of("client_credentials"), Set.of("accounts", "payments"),
            TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, "sha256:x", null, null, List.of(), null, Instant.now());

    @Test
    public void grantsAllRegisteredScopesWhenNoneRequested() throws Exception {
        assertEquals(new Scope("accounts", "payments"), ClientCredentialsGrant.grantedScope(client, null));
    }

    @Test
    public void grantsARequestedSubset() throws Exception {
        assertEquals(new Scope("payments"), ClientCredentialsGrant.grantedScope(client, "payments"));
    }

    @Test
    public void rejectsAnUnregisteredScope() {
        OAuthException e = assertThrows(OAuthException.class,
                () -> ClientCredentialsGrant.grantedScope(client, "accounts openid"));
        assertEquals("invalid_scope", e.error().getCode());
    }

    @Test
    public void rejectsEmptyScopeTokens() {
        OAuthException e = assertThrows(OAuthException.class,
                () -> ClientCredentialsGrant.grantedScope(client, "accounts  payments"));
        assertEquals("invalid_scope", e.error().getCode());
    }

    @Test
    public void rejectsAScopeWithAQuoteAsInvalidScopeNotAServerError() {
        OAuthException e = assertThrows(OAuthException.class,
                () -> ClientCredentialsGrant.grantedScope(client, "\"x\\y\u00e9"));
        assertEquals("invalid_scope", e.error().getCode());
        assertEquals("scope '?x?y?' is not registered for this client", e.error().getDescription());
    }
}
