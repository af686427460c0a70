package org.obkm.oauth.internal.sender;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an access token is bound to (its {@code cnf} claim): the client's TLS certificate (RFC 8705 §3,
 * {@code x5t#S256}) or a DPoP key (RFC 9449 §6, {@code jkt}), or nothing for a bearer token.
 *
 * @param x5tS256 base64url SHA-256 thumbprint of the client certificate (DER), or null
 * @param jkt     base64url SHA-256 JWK thumbprint (RFC 7638) of the DPoP key, or null
 */
public record Confirmation(String x5tS256, String jkt) {

    public static final Confirmation NONE = new Confirmation(null, null);

    public static Confirmation certificate(String x5tS256) {
        return new Confirmation(x5tS256, null);
    }

    public static Confirmation dpop(String jkt) {
        return new Confirmation(null, jkt);
    }

    public boolean isDpop() {
        return jkt != null;
    }

    public boolean isNone() {
        return x5tS256 == null && jkt == null;
    }

    /** The {@code cnf} claim's value, or null when bound to nothing. */
    public Map<String, Object> toClaim() {
        if (isNone()) {
            return null;
        }
        Map<String, Object> cnf = new LinkedHashMap<>();
        if (x5tS256 != null) {
            cnf.put("x5t#S256", x5tS256);
        }
        if (jkt != null) {
            cnf.put("jkt", jkt);
        }
        return cnf;
    }

    /** Reads a {@code cnf} claim; NONE for null or a claim of another shape. */
    public static Confirmation fromClaim(Object cnf) {
        if (!(cnf instanceof Map<?, ?> m)) {
            return NONE;
        }
        Object x5t = m.get("x5t#S256");
        Object jkt = m.get("jkt");
        return new Confirmation(x5t instanceof String s ? s : null, jkt instanceof String s ? s : null);
    }
}
