package org.obkm.api.consent;

/**
 * A change the lifecycle does not allow: the consent's status is not one the change starts from (it
 * may have moved meanwhile, on this node or another), or the consent expired.
 */
public final class ConsentStateException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Consent consent;

    public ConsentStateException(Consent consent, String message) {
        super(message);
        this.consent = consent;
    }

    /** The consent as it is now. */
    public Consent consent() {
        return consent;
    }
}
