package org.obkm.dcr.internal;

/**
 * A registration refused: the HTTP status and the RFC 7591 §3.2.2 error code ({@code invalid_redirect_uri},
 * {@code invalid_client_metadata}, {@code invalid_software_statement}, {@code unapproved_software_statement})
 * or, for management requests, RFC 6750's {@code invalid_token}. The description is for the TPP's
 * developers: it names the rule, never a secret.
 */
final class DcrException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final String INVALID_REDIRECT_URI = "invalid_redirect_uri";
    static final String INVALID_CLIENT_METADATA = "invalid_client_metadata";
    static final String INVALID_SOFTWARE_STATEMENT = "invalid_software_statement";
    static final String UNAPPROVED_SOFTWARE_STATEMENT = "unapproved_software_statement";
    static final String INVALID_TOKEN = "invalid_token";

    private final int status;
    private final String error;

    DcrException(int status, String error, String description) {
        super(description.length() > 500 ? description.substring(0, 500) : description, null, false, false);
        this.status = status;
        this.error = error;
    }

    static DcrException metadata(String description) {
        return new DcrException(400, INVALID_CLIENT_METADATA, description);
    }

    static DcrException statement(String description) {
        return new DcrException(400, INVALID_SOFTWARE_STATEMENT, description);
    }

    static DcrException unapproved(String description) {
        return new DcrException(400, UNAPPROVED_SOFTWARE_STATEMENT, description);
    }

    static DcrException redirect(String description) {
        return new DcrException(400, INVALID_REDIRECT_URI, description);
    }

    static DcrException unauthorized(String description) {
        return new DcrException(401, INVALID_TOKEN, description);
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }
}
