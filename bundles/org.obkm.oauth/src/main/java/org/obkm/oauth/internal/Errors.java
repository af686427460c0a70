package org.obkm.oauth.internal;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;

/** Named RFC 6749 errors with a description, so each refusal says what was wrong. */
final class Errors {

    private Errors() {
    }

    static OAuthException invalidClient(String description) {
        return new OAuthException(OAuth2Error.INVALID_CLIENT.setDescription(description));
    }

    static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuth2Error.INVALID_REQUEST.setDescription(description));
    }

    static OAuthException invalidScope(String description) {
        return new OAuthException(OAuth2Error.INVALID_SCOPE.setDescription(description));
    }

    static OAuthException unauthorizedClient(String description) {
        return new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT.setDescription(description));
    }

    static OAuthException unsupportedGrantType(String description) {
        return new OAuthException(OAuth2Error.UNSUPPORTED_GRANT_TYPE.setDescription(description));
    }

    static OAuthException temporarilyUnavailable(String description) {
        return new OAuthException(OAuth2Error.TEMPORARILY_UNAVAILABLE.setDescription(description));
    }

    static ErrorObject requestTooLarge() {
        return new ErrorObject("invalid_request", "request body too large", 413);
    }
}
