package org.obkm.oauth.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The catalogue of named authorization request checks that profiles are configured from, as Keycloak's
 * client policy executors are named in its client profiles. A name not listed here is a configuration
 * error, so a typo in {@code org.obkm.oauth.cfg} cannot silently drop a check.
 */
final class RequestChecks {

    static final String SENDER_CONSTRAINED = "sender-constrained-tokens";
    static final Map<String, AuthorizationRequestCheck> BY_NAME;

    static {
        Map<String, AuthorizationRequestCheck> m = new LinkedHashMap<>();
        m.put("request-object-required", RequestObjectChecks::required);
        m.put("request-object-alg", RequestObjectChecks::alg);
        m.put("request-object-iss", RequestObjectChecks::iss);
        m.put("request-object-aud", RequestObjectChecks::aud);
        m.put("request-object-exp-nbf", RequestObjectChecks::expNbf);
        m.put("request-object-client-id", RequestObjectChecks::clientId);
        m.put("client-grant-authorization-code", ParameterChecks::clientGrant);
        m.put("redirect-uri-registered", ParameterChecks::redirectUriRegistered);
        m.put("response-type-code", ParameterChecks::responseTypeCode);
        m.put("response-type-code-or-code-id-token", ParameterChecks::responseTypeCodeOrCodeIdToken);
        m.put("response-mode", ParameterChecks::responseMode);
        m.put("hybrid-openid-nonce", ParameterChecks::hybridOpenidNonce);
        m.put("pkce-s256", ParameterChecks::pkceS256);
        m.put("scope-known", ParameterChecks::scopeKnown);
        m.put("claims-known", ParameterChecks::claimsKnown);
        m.put("state-nonce-length", ParameterChecks::stateNonceLength);
        // Enforced at the token endpoint: tokens of the profile's clients are bound to an mTLS certificate
        // or a DPoP key (FAPI 2.0 Security Profile §5.3.2.1); nothing to check in the request itself.
        m.put(SENDER_CONSTRAINED, r -> { });
        BY_NAME = Map.copyOf(m);
    }

    private RequestChecks() {
    }

    /** The check of this name; fails with the known names for any other. */
    static AuthorizationRequestCheck named(String name) {
        AuthorizationRequestCheck check = BY_NAME.get(name);
        if (check == null) {
            throw new IllegalArgumentException("unknown authorization request check '" + name + "'; known: "
                    + BY_NAME.keySet().stream().sorted().toList());
        }
        return check;
    }
}
