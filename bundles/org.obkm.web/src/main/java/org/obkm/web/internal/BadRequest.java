package org.obkm.web.internal;

/**
 * Input the pages cannot use: missing, repeated, oversized or malformed fields. Always answered with
 * the error page and status 400; the message is for the log, never shown to the person.
 */
final class BadRequest extends Exception {

    private static final long serialVersionUID = 1L;

    BadRequest(String reason) {
        super(reason, null, false, false);
    }
}
