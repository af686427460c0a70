package org.obkm.oauth.internal.request;

import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;

/** The authorization request errors {@link Errors} does not have, with the status of a PAR response (400). */
public final class RequestErrors {

    private RequestErrors() {
    }

    /** RFC 9101 §6.3: the request object is invalid. Nimbus gives this code a redirect status; PAR answers 400. */
    public static OAuthException invalidRequestObject(String description) {
        return new OAuthException(new ErrorObject(OAuth2Error.INVALID_REQUEST_OBJECT_CODE, Errors.safe(description), 400));
    }

    public static OAuthException unsupportedResponseType(String description) {
        return new OAuthException(OAuth2Error.UNSUPPORTED_RESPONSE_TYPE.setDescription(Errors.safe(description)));
    }

    /**
     * A value from the request made fit to quote in an error description, which RFC 6749 §5.2 limits to
     * printable ASCII without double quote and backslash (Nimbus throws otherwise, which would be a 500).
     */
    public static String shown(Object value) {
        String s = String.valueOf(value);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '?');
        }
        return s.length() > 64 ? b + "..." : b.toString();
    }
}
