package org.obkm.oauth.internal;

import java.util.Map;

import com.nimbusds.oauth2.sdk.ErrorObject;

/** A request refused with an RFC 6749 error; the endpoint writes it as the error response. */
public final class OAuthException extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient ErrorObject error;
    private final transient Map<String, String> headers;

    public OAuthException(ErrorObject error) {
        this(error, Map.of());
    }

    /** An error whose response carries these headers too (WWW-Authenticate for DPoP, DPoP-Nonce). */
    public OAuthException(ErrorObject error, Map<String, String> headers) {
        super(error.getCode() + ": " + error.getDescription(), null, false, false);
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    /** Response headers to send with the error. */
    public Map<String, String> headers() {
        return headers;
    }

    public ErrorObject error() {
        return error;
    }
}
