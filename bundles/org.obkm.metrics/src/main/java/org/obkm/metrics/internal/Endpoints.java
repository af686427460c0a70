package org.obkm.metrics.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The endpoint label of a request path: one of a fixed set, so that requests for made-up paths count
 * under {@code other} instead of growing the metrics without bound.
 */
final class Endpoints {

    private static final Map<String, String> EXACT = new LinkedHashMap<>();
    private static final Map<String, String> PREFIX = new LinkedHashMap<>();

    static {
        EXACT.put("/oauth2/token", "token");
        EXACT.put("/oauth2/par", "par");
        EXACT.put("/oauth2/authorize", "authorize");
        EXACT.put("/oauth2/introspect", "introspect");
        EXACT.put("/oauth2/revoke", "revoke");
        EXACT.put("/oauth2/userinfo", "userinfo");
        EXACT.put("/oauth2/jwks", "jwks");
        EXACT.put("/authn/login", "login");
        EXACT.put("/authn/consent", "consent");
        EXACT.put("/health", "health");
        EXACT.put("/metrics", "metrics");
        EXACT.put("/register", "register");
        PREFIX.put("/register/", "register");
        PREFIX.put("/.well-known/", "discovery");
        PREFIX.put("/oauth2/token/.well-known/", "discovery");
        PREFIX.put("/authn/static/", "static");
        PREFIX.put("/open-banking/", "consents");
    }

    /** Every label value, for the meters made at start. */
    static Iterable<String> labels() {
        java.util.Set<String> all = new java.util.LinkedHashSet<>(EXACT.values());
        all.addAll(PREFIX.values());
        all.add("other");
        return all;
    }

    static String of(String path) {
        if (path == null) {
            return "other";
        }
        String exact = EXACT.get(path);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, String> p : PREFIX.entrySet()) {
            if (path.startsWith(p.getKey())) {
                return p.getValue();
            }
        }
        return "other";
    }

    private Endpoints() {
    }
}
