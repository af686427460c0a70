package org.obkm.oauth.internal.flow;

import java.net.URI;

import org.obkm.oauth.internal.request.PushedRequest;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;

/**
 * The redirects back to the client (RFC 6749 §4.1.2), always with {@code iss} (RFC 9207): in the query
 * for {@code code}, in the fragment for {@code code id_token} (OIDC Core §3.3.2.5), where the ID token
 * rides along as FAPI 1 Advanced's detached signature.
 */
public final class AuthorizationResponses {

    private AuthorizationResponses() {
    }

    public static boolean isHybrid(PushedRequest r) {
        return "code id_token".equals(r.responseType()) || "id_token code".equals(r.responseType());
    }

    public static ResponseMode mode(PushedRequest r) {
        return isHybrid(r) ? ResponseMode.FRAGMENT : ResponseMode.QUERY;
    }

    public static URI success(PushedRequest r, String issuer, AuthorizationCode code, String idToken) {
        State state = r.state() == null ? null : new State(r.state());
        URI redirect = URI.create(r.redirectUri());
        if (idToken == null) {
            return new AuthorizationSuccessResponse(redirect, code, null, state, new Issuer(issuer), mode(r))
                    .toURI();
        }
        try {
            return new AuthenticationSuccessResponse(redirect, code, JWTParser.parse(idToken), null, state, null,
                    new Issuer(issuer), mode(r)).toURI();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("an ID token of ours did not parse", e);
        }
    }

    public static URI error(PushedRequest r, String issuer, ErrorObject error) {
        State state = r.state() == null ? null : new State(r.state());
        return new AuthorizationErrorResponse(URI.create(r.redirectUri()), error, state, new Issuer(issuer), mode(r))
                .toURI();
    }
}
