package org.obkm.oauth.internal;

import java.util.List;

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.api.cluster.SharedState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * Authenticates the client of a token, introspection or revocation request (RFC 6749 §2.3). Exactly
 * one method, the one the client registered; every failure is {@code invalid_client} without telling
 * which part was wrong beyond what helps an honest client.
 */
@Component(service = ClientAuthenticator.class)
public final class ClientAuthenticator {

    private final ClientService clients;
    private final ClientAssertionVerifier assertions;

    @Activate
    public ClientAuthenticator(@Reference ClientService clients, @Reference ServerSettings settings,
            @Reference SharedState sharedState) {
        this.clients = clients;
        this.assertions = new ClientAssertionVerifier(settings, sharedState);
    }

    /**
     * Returns the authenticated client.
     *
     * @param endpointUrl absolute URL of the endpoint, an accepted client assertion audience
     */
    public Client authenticate(HTTPRequest request, String endpointUrl) throws OAuthException {
        List<ClientAuthentication> candidates;
        try {
            candidates = ClientAuthentication.parseCandidates(request);
        } catch (ParseException e) {
            throw Errors.invalidClient("malformed client authentication: " + e.getMessage());
        }
        if (candidates == null || candidates.isEmpty()) {
            throw Errors.invalidClient("client authentication is required");
        }
        if (candidates.size() > 1) {
            // RFC 6749 §2.3: the client MUST NOT use more than one method in a request.
            throw Errors.invalidRequest("use exactly one client authentication method");
        }
        ClientAuthentication auth = candidates.get(0);
        Client client = clients.find(auth.getClientID().getValue())
                .orElseThrow(() -> Errors.invalidClient("unknown client or bad credentials"));
        if (!client.authMethod().value().equals(auth.getMethod().getValue())) {
            throw Errors.invalidClient("the client is registered for " + client.authMethod().value() + ", not "
                    + auth.getMethod().getValue());
        }
        if (auth instanceof ClientSecretBasic basic) {
            checkSecret(client, basic.getClientSecret().getValue());
        } else if (auth instanceof ClientSecretPost post) {
            checkSecret(client, post.getClientSecret().getValue());
        } else if (auth instanceof PrivateKeyJWT jwt) {
            assertions.verify(client, jwt.getClientAssertion(), endpointUrl);
        } else {
            throw Errors.invalidClient("unsupported client authentication method " + auth.getMethod());
        }
        return client;
    }

    private void checkSecret(Client client, String secret) throws OAuthException {
        if (!clients.verifySecret(client, secret)) {
            throw Errors.invalidClient("unknown client or bad credentials");
        }
    }
}
