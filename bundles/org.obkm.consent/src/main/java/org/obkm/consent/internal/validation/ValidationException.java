package org.obkm.consent.internal.validation;

import java.util.List;

/** A request body the data dictionary refuses: every problem found, each a {@link UkError}. */
public final class ValidationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<UkError> errors;

    public ValidationException(List<UkError> errors) {
        super(errors.isEmpty() ? "invalid request" : errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public List<UkError> errors() {
        return errors;
    }
}
