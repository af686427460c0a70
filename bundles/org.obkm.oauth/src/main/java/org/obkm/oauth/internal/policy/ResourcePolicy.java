package org.obkm.oauth.internal.policy;

import java.util.Optional;

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.oauth.internal.OAuthException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The resource events of the client profiles: an access token presented at userinfo or for
 * introspection is judged by the profile of the client it was issued to, as its record says now. A token
 * of a client that no longer exists, or that its profile refuses, is not honoured.
 */
@Component(service = ResourcePolicy.class)
public final class ResourcePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(ResourcePolicy.class);

    private final ClientService clients;
    private final ClientProfiles profiles;

    @Activate
    public ResourcePolicy(@Reference ClientService clients, @Reference ClientProfiles profiles) {
        this.clients = clients;
        this.profiles = profiles;
    }

    /**
     * Asks the token's client's profile at a resource event.
     *
     * @throws OAuthException {@code invalid_token} (401) when the client is gone, or the profile's refusal
     */
    public void enforce(PolicyEvent event, JWTClaimsSet token) throws OAuthException {
        Object clientId = token.getClaim("client_id");
        Optional<Client> client = clientId instanceof String id ? clients.find(id) : Optional.empty();
        if (client.isEmpty()) {
            throw new OAuthException(new com.nimbusds.oauth2.sdk.ErrorObject("invalid_token",
                    "the client of this access token is no longer registered", 401));
        }
        profiles.enforce(PolicyContext.resource(event, client.get(), token));
    }

    /** Whether the token's client's profile admits it at this event; a refusal is logged at debug. */
    public boolean admits(PolicyEvent event, JWTClaimsSet token) {
        try {
            enforce(event, token);
            return true;
        } catch (OAuthException e) {
            LOG.debug("Token {} not honoured at {}: {}", token.getJWTID(), event, e.getMessage());
            return false;
        }
    }
}
