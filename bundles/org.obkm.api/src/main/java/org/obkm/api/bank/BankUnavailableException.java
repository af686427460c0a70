package org.obkm.api.bank;

/** The bank's backend cannot answer now (down, slow, refusing); the PSU may try again later. */
public final class BankUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public BankUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public BankUnavailableException(String message) {
        super(message);
    }
}
