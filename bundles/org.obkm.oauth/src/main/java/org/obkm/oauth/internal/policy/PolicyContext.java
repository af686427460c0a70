package org.obkm.oauth.internal.policy;

import java.util.Map;

import org.obkm.api.client.Client;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.oauth.internal.request.PushedRequest;
import org.obkm.oauth.internal.request.RequestContext;
import org.obkm.oauth.internal.sender.Confirmation;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * What a check sees at an event, immutable (one context per event, as Keycloak's client policy contexts):
 * the client whose profile is asked and what the event carries. Parts an event does not carry are
 * {@code null}; a check reads only the parts of the events it declares.
 *
 * @param event the event
 * @param client the client whose policy applies: the registering or authenticated client, or the client
 *        an access token was issued to at resource events
 * @param authMethod the method the client authenticated with ({@link PolicyEvent#CLIENT_AUTHENTICATION})
 * @param request the authorization request ({@link PolicyEvent#PAR})
 * @param pushed the pushed request ({@link PolicyEvent#AUTHORIZATION}, {@link PolicyEvent#TOKEN_AUTHORIZATION_CODE})
 * @param binding what the tokens will be bound to (token events), or the DPoP proof's key at PAR
 * @param params the token request's parameters that checks read (e.g. {@code code_verifier})
 * @param token the access token's claims (resource events)
 */
public record PolicyContext(PolicyEvent event, Client client, TokenEndpointAuthMethod authMethod, RequestContext request,
        PushedRequest pushed, Confirmation binding, Map<String, String> params, JWTClaimsSet token) {

    public PolicyContext {
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    public static PolicyContext registration(Client candidate) {
        return new PolicyContext(PolicyEvent.REGISTRATION, candidate, null, null, null, null, null, null);
    }

    public static PolicyContext authentication(Client client, TokenEndpointAuthMethod used) {
        return new PolicyContext(PolicyEvent.CLIENT_AUTHENTICATION, client, used, null, null, null, null, null);
    }

    public static PolicyContext par(RequestContext request, Confirmation proofKey) {
        return new PolicyContext(PolicyEvent.PAR, request.client(), null, request, null, proofKey, null, null);
    }

    public static PolicyContext authorization(Client client, PushedRequest pushed) {
        return new PolicyContext(PolicyEvent.AUTHORIZATION, client, null, null, pushed, null, null, null);
    }

    public static PolicyContext token(PolicyEvent event, Client client, PushedRequest pushed, Confirmation binding,
            Map<String, String> params) {
        return new PolicyContext(event, client, null, null, pushed, binding, params, null);
    }

    public static PolicyContext resource(PolicyEvent event, Client client, JWTClaimsSet token) {
        return new PolicyContext(event, client, null, null, null, null, null, token);
    }
}
