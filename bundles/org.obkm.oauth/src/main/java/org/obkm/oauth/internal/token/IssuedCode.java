package org.obkm.oauth.internal.token;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.obkm.oauth.internal.request.PushedRequest;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * What an authorization code stands for, kept in shared state under the code's hash until redeemed.
 *
 * @param grantId   the grant recorded at consent; revoked when the code is reused
 * @param request   the pushed request the code answers (client, redirect_uri, PKCE challenge, nonce, scope)
 * @param subject   the user's subject
 * @param authTime  when the user signed in, epoch seconds
 * @param acr       the authentication context class of the sign-in
 * @param expiresAt end of validity, epoch millis
 */
public record IssuedCode(String grantId, PushedRequest request, String subject, long authTime, String acr, long expiresAt) {

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("grant", grantId);
        m.put("request", request.toJsonObject());
        m.put("sub", subject);
        m.put("auth_time", authTime);
        m.put("acr", acr);
        m.put("exp", expiresAt);
        return JSONObjectUtils.toJSONString(m);
    }

    public static IssuedCode parse(String json) throws ParseException {
        Map<String, Object> m = JSONObjectUtils.parse(json);
        return new IssuedCode(JSONObjectUtils.getString(m, "grant"),
                PushedRequest.parse(JSONObjectUtils.getJSONObject(m, "request")), JSONObjectUtils.getString(m, "sub"),
                JSONObjectUtils.getLong(m, "auth_time"), JSONObjectUtils.getString(m, "acr"),
                JSONObjectUtils.getLong(m, "exp"));
    }
}
