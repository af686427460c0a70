package org.obkm.oauth.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;

/** Named RFC 6749 errors with a description, so each refusal says what was wrong. */
public final class Errors {

    private Errors() {
    }

    /**
     * An error_description may hold only %x20-21 / %x23-5B / %x5D-7E (RFC 6749 §5.2); descriptions that
     * echo request input are cleaned here, since Nimbus refuses anything else (which would be a 500).
     */
    public static String safe(String description) {
        StringBuilder b = new StringBuilder(Math.min(description.length(), 300));
        for (int i = 0; i < description.length() && b.length() < 300; i++) {
            char c = description.charAt(i);
            b.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '?');
        }
        return b.toString();
    }

    public static OAuthException invalidClient(String description) {
        return new OAuthException(OAuth2Error.INVALID_CLIENT.setDescription(safe(description)));
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuth2Error.INVALID_REQUEST.setDescription(safe(description)));
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException(OAuth2Error.INVALID_SCOPE.setDescription(safe(description)));
    }

    public static OAuthException unauthorizedClient(String description) {
        return new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT.setDescription(safe(description)));
    }

    public static OAuthException unsupportedGrantType(String description) {
        return new OAuthException(OAuth2Error.UNSUPPORTED_GRANT_TYPE.setDescription(safe(description)));
    }

    public static OAuthException temporarilyUnavailable(String description) {
        return new OAuthException(OAuth2Error.TEMPORARILY_UNAVAILABLE.setDescription(safe(description)));
    }

    public static ErrorObject requestTooLarge() {
        return new ErrorObject("invalid_request", "request body too large", 413);
    }
}
