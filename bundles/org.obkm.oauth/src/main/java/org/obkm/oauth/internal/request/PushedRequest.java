package org.obkm.oauth.internal.request;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.policy.ClientProfile;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * A validated authorization request, as pushed (RFC 9126 §2) and kept for the authorization endpoint.
 * Every value passed the client's profile at push time; the authorization endpoint need not check them
 * again. Kept in shared state as JSON, never Java serialization.
 *
 * @param clientId the authenticated client that pushed it
 * @param redirectUri a redirect URI registered for the client
 * @param responseType {@code code}, or {@code code id_token} for FAPI 1 Advanced
 * @param scope the requested scope, or {@code null}
 * @param state the client's state, or {@code null}
 * @param nonce the OIDC nonce, or {@code null}
 * @param codeChallenge the PKCE challenge (RFC 7636), or {@code null} where the profile does not ask for one
 * @param codeChallengeMethod {@code S256} with a challenge, else {@code null}
 * @param claims the OIDC claims request as JSON (OIDC Core §5.5), or {@code null}
 * @param profile the client profile the request was checked against
 * @param dpopJkt the DPoP key thumbprint the code is bound to (RFC 9449 §10), or {@code null}
 * @param responseMode the requested {@code response_mode} (OAuth 2.0 Multiple Response Type Encoding
 *        Practices §2.1, JARM §4.3), or {@code null} for the response type's default
 * @param authorizationDetails the RFC 9396 {@code authorization_details} as JSON, checked at PAR
 *        ({@link AuthorizationDetails}), or {@code null}
 */
public record PushedRequest(String clientId, String redirectUri, String responseType, String scope, String state,
        String nonce, String codeChallenge, String codeChallengeMethod, String claims, String profile, String dpopJkt,
        String responseMode, String authorizationDetails) {

    private static final String[] NAMES = {"client_id", "redirect_uri", "response_type", "scope", "state", "nonce",
        "code_challenge", "code_challenge_method", "claims", "profile", "dpop_jkt", "response_mode", AuthorizationDetails.PARAMETER};

    /** A request with the response type's default response mode. */
    public PushedRequest(String clientId, String redirectUri, String responseType, String scope, String state,
            String nonce, String codeChallenge, String codeChallengeMethod, String claims, String profile,
            String dpopJkt) {
        this(clientId, redirectUri, responseType, scope, state, nonce, codeChallenge, codeChallengeMethod, claims,
                profile, dpopJkt, null);
    }

    /** A request without authorization details. */
    public PushedRequest(String clientId, String redirectUri, String responseType, String scope, String state,
            String nonce, String codeChallenge, String codeChallengeMethod, String claims, String profile,
            String dpopJkt, String responseMode) {
        this(clientId, redirectUri, responseType, scope, state, nonce, codeChallenge, codeChallengeMethod, claims,
                profile, dpopJkt, responseMode, null);
    }

    /** The request of a context that passed the profile's checks. */
    public static PushedRequest from(RequestContext r, ClientProfile profile) throws OAuthException {
        return new PushedRequest(r.client().clientId(), r.param("redirect_uri"), r.param("response_type"),
                r.param("scope"), r.param("state"), r.param("nonce"), r.param("code_challenge"),
                r.param("code_challenge_method"), r.param("claims"), profile.name(), r.param("dpop_jkt"),
                r.param("response_mode"), null);
    }

    /** The same request bound to a DPoP key. */
    public PushedRequest withDpopJkt(String jkt) {
        return new PushedRequest(clientId, redirectUri, responseType, scope, state, nonce, codeChallenge,
                codeChallengeMethod, claims, profile, jkt, responseMode, authorizationDetails);
    }

    /** The same request with these checked authorization details (RFC 9396). */
    public PushedRequest withAuthorizationDetails(String details) {
        return new PushedRequest(clientId, redirectUri, responseType, scope, state, nonce, codeChallenge,
                codeChallengeMethod, claims, profile, dpopJkt, responseMode, details);
    }

    public Map<String, Object> toJsonObject() {
        String[] values = {clientId, redirectUri, responseType, scope, state, nonce, codeChallenge,
            codeChallengeMethod, claims, profile, dpopJkt, responseMode, authorizationDetails};
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            if (values[i] != null) {
                m.put(NAMES[i], values[i]);
            }
        }
        return m;
    }

    public static PushedRequest parse(Map<String, Object> m) throws ParseException {
        String[] v = new String[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            v[i] = JSONObjectUtils.getString(m, NAMES[i]);
        }
        return new PushedRequest(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
    }
}
