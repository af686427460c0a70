package org.obkm.userstore.jdbc.internal;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The {@code attributes} column: a JSON object whose values are strings or arrays of strings, read
 * into the multi-valued map of {@link org.obkm.api.user.User#attributes()}.
 */
final class Attributes {

    private static final Logger LOG = LoggerFactory.getLogger(Attributes.class);

    private Attributes() {
    }

    static Map<String, List<String>> parse(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, List<String>> out = new LinkedHashMap<>();
            JSONObjectUtils.parse(json).forEach((name, value) -> {
                if (value instanceof List<?> list) {
                    out.put(name, list.stream().map(String::valueOf).toList());
                } else if (value != null) {
                    out.put(name, List.of(String.valueOf(value)));
                }
            });
            return out;
        } catch (ParseException e) {
            // The row stays usable for sign-in; only its extra attributes are lost.
            LOG.warn("Ignoring malformed user attributes: {}", e.getMessage());
            return Map.of();
        }
    }
}
