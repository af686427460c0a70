package org.obkm.consent.internal.validation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a parsed request body field by field, collecting every problem with its JSON path, so that one
 * 400 answer names them all. Types and lengths are the data dictionary's (Max35Text and the like).
 */
final class Fields {

    /** OB ActiveOrHistoricCurrencyAndAmount: Amount (Read/Write API v3.1 data dictionary). */
    static final Pattern AMOUNT = Pattern.compile("^\\d{1,13}$|^\\d{1,13}\\.\\d{1,5}$");
    /** ActiveOrHistoricCurrencyCode: ISO 4217, three capitals. */
    static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3,3}$");

    private final List<UkError> errors = new ArrayList<>();

    void add(String code, String message, String path) {
        errors.add(new UkError(code, message, path));
    }

    boolean ok() {
        return errors.isEmpty();
    }

    void throwIfAny() throws ValidationException {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    /** A JSON object at {@code key}; null (and a problem when required) if absent or not an object. */
    @SuppressWarnings("unchecked")
    Map<String, Object> object(Map<String, Object> parent, String key, String path, boolean required) {
        Object v = parent == null ? null : parent.get(key);
        if (v == null) {
            if (required) {
                add(UkError.FIELD_MISSING, path + " is required", path);
            }
            return null;
        }
        if (!(v instanceof Map)) {
            add(UkError.FIELD_INVALID, path + " must be a JSON object", path);
            return null;
        }
        return (Map<String, Object>) v;
    }

    /** A string of 1 to {@code max} characters at {@code key}; null if absent (a problem when required) or wrong. */
    String text(Map<String, Object> parent, String key, String path, int max, boolean required) {
        Object v = parent == null ? null : parent.get(key);
        if (v == null) {
            if (required) {
                add(UkError.FIELD_MISSING, path + " is required", path);
            }
            return null;
        }
        if (!(v instanceof String s)) {
            add(UkError.FIELD_INVALID, path + " must be a string", path);
            return null;
        }
        if (s.isEmpty() || s.length() > max) {
            add(UkError.FIELD_INVALID, path + " must be 1 to " + max + " characters", path);
            return null;
        }
        return s;
    }

    /** A string matching {@code pattern}; null if absent (a problem when required) or not matching. */
    String matching(Map<String, Object> parent, String key, String path, Pattern pattern, boolean required) {
        String s = text(parent, key, path, 256, required);
        if (s != null && !pattern.matcher(s).matches()) {
            add(UkError.FIELD_INVALID, path + " must match " + pattern.pattern(), path);
            return null;
        }
        return s;
    }

    /** A string that is one of {@code allowed}; null if absent or not one. */
    String oneOf(Map<String, Object> parent, String key, String path, List<String> allowed, boolean required) {
        String s = text(parent, key, path, 256, required);
        if (s != null && !allowed.contains(s)) {
            add(UkError.FIELD_INVALID, path + " must be one of " + String.join(", ", allowed), path);
            return null;
        }
        return s;
    }

    /** An ISODateTime with its offset (the data dictionary's "ISO 8601 date-time"); null if absent or invalid. */
    Instant dateTime(Map<String, Object> parent, String key, String path) {
        Object v = parent == null ? null : parent.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            add(UkError.FIELD_INVALID_DATE, path + " must be an ISO 8601 date-time string", path);
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            add(UkError.FIELD_INVALID_DATE, path + " must be an ISO 8601 date-time with its offset, such as"
                    + " 2025-08-02T00:00:00+00:00", path);
            return null;
        }
    }

    /** An ExpirationDateTime: absent for open-ended, else in the future. */
    Instant expiration(Map<String, Object> data, String path, Instant now) {
        Instant at = dateTime(data, "ExpirationDateTime", path);
        if (at != null && !at.isAfter(now)) {
            add(UkError.FIELD_INVALID_DATE, path + " must be in the future", path);
            return null;
        }
        return at;
    }
}
