package org.obkm.consent.internal.validation;

/**
 * One entry of a UK error response's {@code Errors} array (Read/Write Data API profile, "Error Response
 * Structure"): a UK.OBIE error code, a message for the TPP's developer, and the JSON path it concerns.
 */
public record UkError(String errorCode, String message, String path) {

    public static final String FIELD_MISSING = "UK.OBIE.Field.Missing";
    public static final String FIELD_INVALID = "UK.OBIE.Field.Invalid";
    public static final String FIELD_INVALID_DATE = "UK.OBIE.Field.InvalidDate";
    public static final String FIELD_EXPECTED = "UK.OBIE.Field.Expected";
    public static final String HEADER_MISSING = "UK.OBIE.Header.Missing";
    public static final String HEADER_INVALID = "UK.OBIE.Header.Invalid";
    public static final String RESOURCE_NOT_FOUND = "UK.OBIE.Resource.NotFound";
    public static final String RESOURCE_INVALID_FORMAT = "UK.OBIE.Resource.InvalidFormat";
    public static final String RESOURCE_INVALID_CONSENT_STATUS = "UK.OBIE.Resource.InvalidConsentStatus";
    public static final String RESOURCE_CONSENT_MISMATCH = "UK.OBIE.Resource.ConsentMismatch";
    public static final String UNSUPPORTED_SCHEME = "UK.OBIE.Unsupported.Scheme";
    public static final String UNSUPPORTED_ACCOUNT_IDENTIFIER = "UK.OBIE.Unsupported.AccountIdentifier";
    public static final String UNEXPECTED = "UK.OBIE.UnexpectedError";
}
