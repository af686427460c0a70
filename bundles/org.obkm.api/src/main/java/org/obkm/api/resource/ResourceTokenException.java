package org.obkm.api.resource;

import java.util.Map;

/**
 * A refused access token: an RFC 6750 §3 (or RFC 9449 §7) error with the headers its answer carries,
 * the {@code WWW-Authenticate} challenge among them, and a {@code DPoP-Nonce} when the proof needs one.
 */
public final class ResourceTokenException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final Map<String, String> headers;

    public ResourceTokenException(int status, String error, String description, Map<String, String> headers) {
        super(description);
        this.status = status;
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    /** 401 for a missing, inactive or wrongly presented token; 400 for a malformed request. */
    public int status() {
        return status;
    }

    /** The OAuth error code, such as {@code invalid_token}. */
    public String error() {
        return error;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
