package org.obkm.oauth.internal.request;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.openid.connect.sdk.OIDCClaimsRequest;
import com.nimbusds.openid.connect.sdk.OIDCScopeValue;
import com.nimbusds.openid.connect.sdk.claims.ClaimsSetRequest;

/**
 * The checks of the authorization request parameters (RFC 6749 §4.1.1, RFC 7636, OIDC Core §3 and §5.5,
 * FAPI 2.0 Security Profile §5.3.2.2), whether they came in a request object or as plain parameters.
 */
public final class ParameterChecks {

    static final String AUTHORIZATION_CODE = "authorization_code";
    /** Claims the server can return in an ID token or from userinfo; others cannot be requested. */
    static final Set<String> KNOWN_CLAIMS = Set.of("sub", "acr", "auth_time", "openbanking_intent_id");
    static final int MAX_STATE_NONCE_LENGTH = 512;
    /** JARM §4.3 response modes. */
    public static final List<String> JARM_MODES = List.of("jwt", "query.jwt", "fragment.jwt", "form_post.jwt");
    /** RFC 7636 §4.2: BASE64URL(SHA-256(verifier)) is always 43 characters. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** RFC 6749 Appendix A.5: VSCHAR. */
    private static final Pattern VSCHARS = Pattern.compile("[\\x20-\\x7e]*");

    private ParameterChecks() {
    }

    /** {@code client-grant-authorization-code}: the client is registered for the authorization code grant. */
    public static void clientGrant(RequestContext r) throws OAuthException {
        if (!r.client().allowsGrant(AUTHORIZATION_CODE)) {
            throw Errors.unauthorizedClient("the client is not registered for the authorization_code grant");
        }
    }

    /** {@code redirect-uri-registered}: present and equal, as a string, to a registered one (RFC 9700 §2.1). */
    public static void redirectUriRegistered(RequestContext r) throws OAuthException {
        String uri = r.param("redirect_uri");
        if (uri == null) {
            throw Errors.invalidRequest("redirect_uri is required");
        }
        if (!r.client().redirectUris().contains(uri)) {
            throw Errors.invalidRequest("redirect_uri is not registered for this client");
        }
    }

    /** {@code response-type-code}: {@code code} only (FAPI 2.0 Security Profile §5.3.2.2). */
    public static void responseTypeCode(RequestContext r) throws OAuthException {
        ResponseType type = registeredResponseType(r);
        if (ResponseType.CODE_IDTOKEN.equals(type)) {
            throw Errors.unauthorizedClient("response_type code id_token is only for clients registered for"
                    + " FAPI 1 Advanced; use code");
        }
        if (!ResponseType.CODE.equals(type)) {
            throw RequestErrors.unsupportedResponseType("response_type " + RequestErrors.shown(type) + " is not supported; use code");
        }
    }

    /** {@code response-type-code-or-code-id-token}: also the hybrid flow of FAPI 1 Advanced §5.2.2. */
    public static void responseTypeCodeOrCodeIdToken(RequestContext r) throws OAuthException {
        ResponseType type = registeredResponseType(r);
        if (!ResponseType.CODE.equals(type) && !ResponseType.CODE_IDTOKEN.equals(type)) {
            throw RequestErrors.unsupportedResponseType("response_type " + RequestErrors.shown(type)
                    + " is not supported; use code or code id_token");
        }
    }

    /**
     * {@code response-mode}: none, the response type's default (OAuth 2.0 Multiple Response Type Encoding
     * Practices §2.1: query for code, fragment with an id_token), or a JARM mode (JARM §4.3: {@code jwt},
     * {@code query.jwt}, {@code fragment.jwt}, {@code form_post.jwt}); plain {@code form_post} is not offered.
     * {@code query.jwt} with an ID token in the response needs an encrypted response (JARM §4.3.1).
     */
    public static void responseMode(RequestContext r) throws OAuthException {
        String mode = r.param("response_mode");
        if (mode == null) {
            return;
        }
        boolean withIdToken = !ResponseType.CODE.equals(responseType(r));
        ResponseMode implied = withIdToken ? ResponseMode.FRAGMENT : ResponseMode.QUERY;
        if (!implied.getValue().equals(mode) && !JARM_MODES.contains(mode)) {
            throw Errors.invalidRequest("response_mode " + RequestErrors.shown(mode) + " is not supported for this"
                    + " response_type; use " + implied.getValue() + " or one of " + JARM_MODES);
        }
        if (withIdToken && ResponseMode.QUERY_JWT.getValue().equals(mode) && !r.client().jarm().encrypted()) {
            throw Errors.invalidRequest("response_mode query.jwt would put the ID token in the URL unencrypted"
                    + " (JARM section 4.3.1); use fragment.jwt or jwt");
        }
    }

    /**
     * {@code jarm-for-response-type-code}: plain {@code code} only with a JWT secured authorization response
     * (FAPI 1 Advanced §5.2.2 2: {@code code id_token}, or {@code code} with JARM; JARM §2.3 modes). Authorization
     * requests are all pushed, so PAR is where this is decided for the authorization endpoint too.
     */
    public static void jarmForResponseTypeCode(RequestContext r) throws OAuthException {
        String mode = r.param("response_mode");
        if (ResponseType.CODE.equals(responseType(r)) && (mode == null || !JARM_MODES.contains(mode))) {
            throw Errors.invalidRequest("response_type code needs response_mode jwt (JARM) under this client's"
                    + " profile (FAPI 1 Advanced); or use response_type code id_token");
        }
    }

    /** {@code hybrid-openid-nonce}: an ID token in the front channel needs scope openid and a nonce (OIDC Core §3.3.2.11). */
    public static void hybridOpenidNonce(RequestContext r) throws OAuthException {
        if (!responseType(r).contains("id_token")) {
            return;
        }
        String scope = r.param("scope");
        if (scope == null || !Set.of(scope.split(" ")).contains(OIDCScopeValue.OPENID.getValue())) {
            throw Errors.invalidRequest("response_type code id_token requires scope openid");
        }
        if (r.param("nonce") == null) {
            throw Errors.invalidRequest("response_type code id_token requires a nonce");
        }
    }

    /** {@code pkce-s256}: a code_challenge with method S256; {@code plain}, also by omission, is refused. */
    public static void pkceS256(RequestContext r) throws OAuthException {
        String challenge = r.param("code_challenge");
        String method = r.param("code_challenge_method");
        if (challenge == null) {
            throw Errors.invalidRequest("code_challenge is required (PKCE, RFC 7636)");
        }
        if (!"S256".equals(method)) {
            throw Errors.invalidRequest("code_challenge_method must be S256, not "
                    + (method == null ? "the default plain" : RequestErrors.shown(method)));
        }
        if (!S256_CHALLENGE.matcher(challenge).matches()) {
            throw Errors.invalidRequest("code_challenge must be 43 base64url characters, the S256 of the verifier");
        }
    }

    /** {@code scope-known}: every scope token is one of the client's registered scopes, or openid. */
    public static void scopeKnown(RequestContext r) throws OAuthException {
        String scope = r.param("scope");
        if (scope == null) {
            return;
        }
        for (String s : scope.split(" ", -1)) {
            if (s.isEmpty()) {
                throw Errors.invalidScope("scope must be space-separated tokens");
            }
            if (!OIDCScopeValue.OPENID.getValue().equals(s) && !r.client().scopes().contains(s)) {
                throw Errors.invalidScope("scope '" + RequestErrors.shown(s) + "' is not registered for this client");
            }
        }
    }

    /**
     * {@code claims-known}: a well-formed claims request (OIDC Core §5.5) naming only claims the server returns
     * in its {@code id_token} and {@code userinfo} members. Other top-level members are ignored, as §5.5 says
     * of members not understood; a value that is not a JSON object, or members of the wrong shape, are refused.
     */
    public static void claimsKnown(RequestContext r) throws OAuthException {
        String claims = r.param("claims");
        if (claims == null) {
            return;
        }
        OIDCClaimsRequest request;
        try {
            Map<String, Object> members = JSONObjectUtils.parse(claims);
            if (members == null) {
                // JSONObjectUtils takes the JSON null as a null map (found by OAuthParsersFuzzTest)
                throw new java.text.ParseException("the JSON null", 0);
            }
            for (String member : new String[] {"id_token", "userinfo"}) {
                if (members.containsKey(member) && !(members.get(member) instanceof Map)) {
                    throw Errors.invalidRequest("claims member " + member + " must be a JSON object");
                }
            }
            request = OIDCClaimsRequest.parse(claims);
        } catch (java.text.ParseException | ParseException e) {
            throw Errors.invalidRequest("claims is not a valid claims request: " + RequestErrors.shown(e.getMessage()));
        }
        for (ClaimsSetRequest set : new ClaimsSetRequest[] {request.getIDTokenClaimsRequest(),
                request.getUserInfoClaimsRequest()}) {
            if (set == null) {
                continue;
            }
            for (ClaimsSetRequest.Entry e : set.getEntries()) {
                if (!KNOWN_CLAIMS.contains(e.getClaimName())) {
                    throw Errors.invalidRequest("claim " + RequestErrors.shown(e.getClaimName()) + " is not supported");
                }
            }
        }
    }

    /** {@code state-nonce-length}: state and nonce printable ASCII of at most 512 characters. */
    public static void stateNonceLength(RequestContext r) throws OAuthException {
        for (String name : new String[] {"state", "nonce"}) {
            String v = r.param(name);
            if (v != null && (v.length() > MAX_STATE_NONCE_LENGTH || !VSCHARS.matcher(v).matches())) {
                throw Errors.invalidRequest(name + " must be printable ASCII of at most " + MAX_STATE_NONCE_LENGTH
                        + " characters");
            }
        }
    }

    /**
     * The request's response_type, which a client registered by DCR must have registered (RFC 7591 §2
     * {@code response_types}; a client made in the shell registered none and is judged by its profile only).
     */
    private static ResponseType registeredResponseType(RequestContext r) throws OAuthException {
        ResponseType type = responseType(r);
        java.util.Set<String> registered = r.client().software().responseTypes();
        String value = String.join(" ", new java.util.TreeSet<>(type.stream().map(ResponseType.Value::getValue).toList()));
        if (r.client().software().hasSoftwareStatement() && !registered.contains(value)) {
            throw Errors.unauthorizedClient("response_type " + RequestErrors.shown(value) + " is not among the client's"
                    + " registered response_types " + new java.util.TreeSet<>(registered));
        }
        return type;
    }

    private static ResponseType responseType(RequestContext r) throws OAuthException {
        String value = r.param("response_type");
        if (value == null) {
            throw Errors.invalidRequest("response_type is required");
        }
        try {
            return ResponseType.parse(value);
        } catch (ParseException e) {
            throw Errors.invalidRequest("malformed response_type");
        }
    }
}
