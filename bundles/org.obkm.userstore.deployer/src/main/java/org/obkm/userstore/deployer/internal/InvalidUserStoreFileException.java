package org.obkm.userstore.deployer.internal;

/**
 * A user store file that is refused. The message is fit for an operator and never contains a
 * property's value; domain and type are what could be read before the problem, possibly empty.
 */
final class InvalidUserStoreFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String domain;
    private final String type;

    InvalidUserStoreFileException(String message, String domain, String type) {
        super(message, null, false, false);
        this.domain = domain == null ? "" : domain;
        this.type = type == null ? "" : type;
    }

    String domain() {
        return domain;
    }

    String type() {
        return type;
    }
}
