package org.obkm.oauth.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;

/** A request refused with an RFC 6749 error; the endpoint writes it as the error response. */
public final class OAuthException extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient ErrorObject error;

    public OAuthException(ErrorObject error) {
        super(error.getCode() + ": " + error.getDescription(), null, false, false);
        this.error = error;
    }

    public ErrorObject error() {
        return error;
    }
}
