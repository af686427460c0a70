package org.obkm.oauth.internal.grant;

import org.obkm.api.client.Client;
import org.obkm.oauth.internal.OAuthException;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * One grant type of the token endpoint (RFC 6749 §4), registered as a service with the property
 * {@value #GRANT_TYPE}. The client is already authenticated and allowed this grant.
 */
public interface GrantHandler {

    String GRANT_TYPE = "obkm.grant.type";

    /** Handles the request and returns the token response's JSON. */
    public String handle(Client client, HTTPRequest request) throws OAuthException;
}
