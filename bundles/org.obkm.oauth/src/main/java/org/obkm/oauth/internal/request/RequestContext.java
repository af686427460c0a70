package org.obkm.oauth.internal.request;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.obkm.api.client.Client;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * What every {@link AuthorizationRequestCheck} sees, immutable: the authenticated client, the time,
 * the verified request object if there was one, and the authorization request parameters. With a
 * request object the parameters are its claims only; parameters beside it in the form are ignored
 * (RFC 9126 §3, RFC 9101 §5).
 *
 * @param client the authenticated client
 * @param issuer this server's issuer identifier
 * @param now the time the request is judged at
 * @param clockSkew tolerated difference between the client's clock and ours
 * @param header header of the request object, or {@code null} for plain parameters
 * @param requestObject claims of the request object, signature already verified, or {@code null}
 * @param parameters the authorization request parameters
 */
public record RequestContext(Client client, String issuer, Instant now, Duration clockSkew, JWSHeader header,
        JWTClaimsSet requestObject, Map<String, List<String>> parameters) {

    public RequestContext {
        parameters = Map.copyOf(parameters);
    }

    public boolean hasRequestObject() {
        return requestObject != null;
    }

    /**
     * The single value of a parameter, or {@code null} when absent or empty (RFC 6749 §3.1: a parameter
     * without a value is treated as omitted).
     *
     * @throws OAuthException {@code invalid_request} for a repeated parameter
     */
    public String param(String name) throws OAuthException {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw Errors.invalidRequest("parameter " + name + " must not be repeated");
        }
        String value = values.get(0);
        return value == null || value.isEmpty() ? null : value;
    }
}
