package org.obkm.consent.internal.endpoint;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.obkm.api.consent.Consent;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * A consent as its resource shows it (OBReadConsentResponse1, OBWriteDomesticConsentResponse5,
 * OBFundsConfirmationConsentResponse1): the request's {@code Data} as the TPP sent it plus ConsentId,
 * Status, CreationDateTime and StatusUpdateDateTime; {@code Risk} where the type has one; {@code Links.Self}
 * and {@code Meta}.
 */
final class ConsentJson {

    /** ISODateTime with its offset, as the data dictionary's examples write it (2025-05-02T00:00:00+00:00). */
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    private ConsentJson() {
    }

    static Map<String, Object> of(Consent c, String self) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ConsentId", c.id());
        data.put("Status", c.status().wire());
        data.put("CreationDateTime", format(c.createdAt()));
        data.put("StatusUpdateDateTime", format(c.statusUpdatedAt()));
        parse(c.data()).forEach(data::putIfAbsent);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Data", data);
        if (c.risk() != null) {
            body.put("Risk", parse(c.risk()));
        }
        body.put("Links", Map.of("Self", self));
        body.put("Meta", Map.of());
        return body;
    }

    static String format(Instant at) {
        return DATE_TIME.format(at);
    }

    static Map<String, Object> parse(String json) {
        try {
            return JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("a stored consent's JSON is unreadable", e);
        }
    }
}
