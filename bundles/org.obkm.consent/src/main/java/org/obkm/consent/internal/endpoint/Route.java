package org.obkm.consent.internal.endpoint;

import java.util.List;

import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentType;

/**
 * Which consent resource a path below the base path names: a collection (POST), one consent (GET, and
 * DELETE for the long-lived types) or a payment consent's funds confirmation (GET).
 *
 * @param type the consent type of the collection
 * @param id the ConsentId, or {@code null} for the collection
 * @param fundsConfirmation whether it is {@code .../{ConsentId}/funds-confirmation}
 */
record Route(ConsentType type, String id, boolean fundsConfirmation) {

    static final String ACCOUNT_ACCESS = "/aisp/account-access-consents";
    static final String DOMESTIC_PAYMENT = "/pisp/domestic-payment-consents";
    static final String FUNDS_CONFIRMATION = "/cbpii/funds-confirmation-consents";

    /** The route of a servlet path info, or {@code null} when it names no consent resource. */
    static Route parse(String pathInfo) {
        if (pathInfo == null) {
            return null;
        }
        for (ConsentType type : ConsentType.values()) {
            String collection = collection(type);
            if (pathInfo.equals(collection)) {
                return new Route(type, null, false);
            }
            if (!pathInfo.startsWith(collection + "/")) {
                continue;
            }
            String[] rest = pathInfo.substring(collection.length() + 1).split("/", -1);
            if (rest.length == 1 && !rest[0].isEmpty()) {
                return new Route(type, rest[0], false);
            }
            if (rest.length == 2 && !rest[0].isEmpty() && type == ConsentType.DOMESTIC_PAYMENT
                    && rest[1].equals("funds-confirmation")) {
                return new Route(type, rest[0], true);
            }
            return null;
        }
        return null;
    }

    static Route of(Consent c) {
        return new Route(c.type(), c.id(), false);
    }

    static String collection(ConsentType type) {
        return switch (type) {
            case ACCOUNT_ACCESS -> ACCOUNT_ACCESS;
            case DOMESTIC_PAYMENT -> DOMESTIC_PAYMENT;
            case FUNDS_CONFIRMATION -> FUNDS_CONFIRMATION;
        };
    }

    /** The methods this resource answers, as an {@code Allow} header lists them. */
    String allowed() {
        if (id == null) {
            return "POST";
        }
        if (fundsConfirmation || type == ConsentType.DOMESTIC_PAYMENT) {
            return "GET";
        }
        return "GET, DELETE";
    }

    boolean allows(String method) {
        return List.of(allowed().split(", ")).contains(method);
    }

    /** The path below the base path ({@code Links.Self}). */
    String selfPath() {
        return collection(type) + (id == null ? "" : "/" + id) + (fundsConfirmation ? "/funds-confirmation" : "");
    }
}
