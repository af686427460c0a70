package org.obkm.api.resource;

/** A request signature refused, with what was wrong, as the UK error codes tell it apart. */
public final class MessageSignatureException extends Exception {

    /** What was wrong: UK.OBIE.Signature.Malformed, .MissingClaim, .InvalidClaim, .Invalid. */
    public enum Kind {
        MALFORMED("UK.OBIE.Signature.Malformed"),
        MISSING_CLAIM("UK.OBIE.Signature.MissingClaim"),
        INVALID_CLAIM("UK.OBIE.Signature.InvalidClaim"),
        INVALID("UK.OBIE.Signature.Invalid");

        private final String errorCode;

        Kind(String errorCode) {
            this.errorCode = errorCode;
        }

        public String errorCode() {
            return errorCode;
        }
    }

    private static final long serialVersionUID = 1L;

    private final Kind kind;

    public MessageSignatureException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
