package org.obkm.oauth.internal.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.obkm.oauth.internal.request.ParameterChecks;
import org.obkm.oauth.internal.request.RequestObjectChecks;

/**
 * The catalogue of named checks that profiles are configured from, as Keycloak's client policy executors
 * are named in its client profiles. Each declares its events ({@link PolicyCheck#events}). A name not
 * listed here is a configuration error, so a typo in {@code org.obkm.oauth.cfg} cannot silently drop a
 * check.
 */
public final class PolicyChecks {

    static final String SENDER_CONSTRAINED = "sender-constrained-tokens";
    static final String PAR_REQUIRED = "par-required";
    static final String CLIENT_AUTH_FAPI = "client-auth-fapi";
    static final String CLIENT_AUTH_METHODS = "client-auth-methods";
    static final String DPOP_JKT = "dpop-jkt";
    static final String JARM_FOR_CODE = "jarm-for-response-type-code";
    /** Checks every profile has, whether it lists them or not: protocol rules, not choices. */
    static final List<String> ALWAYS = List.of(CLIENT_AUTH_METHODS, DPOP_JKT);
    static final Map<String, PolicyCheck> BY_NAME;

    static {
        Map<String, PolicyCheck> m = new LinkedHashMap<>();
        m.put("request-object-required", PolicyCheck.atPar(RequestObjectChecks::required));
        m.put("request-object-alg", PolicyCheck.atPar(RequestObjectChecks::alg));
        m.put("request-object-iss", PolicyCheck.atPar(RequestObjectChecks::iss));
        m.put("request-object-aud", PolicyCheck.atPar(RequestObjectChecks::aud));
        m.put("request-object-exp-nbf", PolicyCheck.atPar(RequestObjectChecks::expNbf));
        m.put("request-object-client-id", PolicyCheck.atPar(RequestObjectChecks::clientId));
        m.put("client-grant-authorization-code", PolicyCheck.atPar(ParameterChecks::clientGrant));
        m.put("redirect-uri-registered", PolicyCheck.atPar(ParameterChecks::redirectUriRegistered));
        m.put("response-type-code", PolicyCheck.atPar(ParameterChecks::responseTypeCode));
        m.put("response-type-code-or-code-id-token", PolicyCheck.atPar(ParameterChecks::responseTypeCodeOrCodeIdToken));
        m.put(JARM_FOR_CODE, PolicyCheck.atPar(ParameterChecks::jarmForResponseTypeCode));
        m.put("response-mode", PolicyCheck.atPar(ParameterChecks::responseMode));
        m.put("hybrid-openid-nonce", PolicyCheck.atPar(ParameterChecks::hybridOpenidNonce));
        m.put("pkce-s256", ClientChecks.PKCE_S256);
        m.put("scope-known", PolicyCheck.atPar(ParameterChecks::scopeKnown));
        m.put("claims-known", PolicyCheck.atPar(ParameterChecks::claimsKnown));
        m.put("state-nonce-length", PolicyCheck.atPar(ParameterChecks::stateNonceLength));
        m.put(SENDER_CONSTRAINED, ClientChecks.SENDER_CONSTRAINED);
        m.put(PAR_REQUIRED, ClientChecks.PAR_REQUIRED);
        m.put(CLIENT_AUTH_FAPI, ClientChecks.CLIENT_AUTH_FAPI);
        m.put(CLIENT_AUTH_METHODS, ClientChecks.CLIENT_AUTH_METHODS);
        m.put(DPOP_JKT, ClientChecks.DPOP_JKT);
        BY_NAME = Map.copyOf(m);
    }

    private PolicyChecks() {
    }

    /** The check of this name; fails with the known names for any other. */
    public static PolicyCheck named(String name) {
        PolicyCheck check = BY_NAME.get(name);
        if (check == null) {
            throw new IllegalArgumentException("unknown check '" + name + "'; known: "
                    + BY_NAME.keySet().stream().sorted().toList());
        }
        return check;
    }
}
