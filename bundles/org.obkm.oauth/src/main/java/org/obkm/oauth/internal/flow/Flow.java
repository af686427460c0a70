package org.obkm.oauth.internal.flow;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.obkm.api.flow.FlowPage;
import org.obkm.oauth.internal.request.PushedRequest;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The state of one authorization between the authorization endpoint and the redirect back to the
 * client: what was asked (the pushed request), which browser asks, and how far it got. Kept in the
 * cluster's shared state as JSON, never in a node's memory, so any node continues it.
 *
 * @param flowId      random id, in the page URLs
 * @param browserKey  the random value of the browser's cookie the flow is bound to
 * @param csrf        random token the page forms carry
 * @param stage       LOGIN until a user signed in, then CONSENT
 * @param request     the validated pushed request
 * @param attempts    wrong passwords so far in this flow
 * @param subject     the signed-in user's subject, or null before
 * @param domain      the user's store domain, or null before
 * @param username    the name the user signed in with (on the login page: the last one typed)
 * @param userName    display name for the consent page, or null
 * @param authTime    when the user signed in, epoch seconds; 0 before
 * @param expiresAt   end of the flow, epoch millis
 */
public record Flow(String flowId, String browserKey, String csrf, FlowPage.Stage stage, PushedRequest request,
        int attempts, String subject, String domain, String username, String userName, long authTime,
        long expiresAt) {

    public Flow withFailedAttempt(String typedName) {
        return new Flow(flowId, browserKey, csrf, stage, request, attempts + 1, subject, domain, typedName, userName,
                authTime, expiresAt);
    }

    public Flow signedIn(String newSubject, String newDomain, String newUsername, String displayName, long newAuthTime) {
        return new Flow(flowId, browserKey, csrf, FlowPage.Stage.CONSENT, request, attempts, newSubject, newDomain,
                newUsername, displayName, newAuthTime, expiresAt);
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flow", flowId);
        m.put("browser", browserKey);
        m.put("csrf", csrf);
        m.put("stage", stage.name());
        m.put("request", request.toJsonObject());
        m.put("attempts", attempts);
        putIfSet(m, "sub", subject);
        putIfSet(m, "domain", domain);
        putIfSet(m, "username", username);
        putIfSet(m, "name", userName);
        m.put("auth_time", authTime);
        m.put("exp", expiresAt);
        return JSONObjectUtils.toJSONString(m);
    }

    public static Flow parse(String json) throws ParseException {
        Map<String, Object> m = JSONObjectUtils.parse(json);
        try {
            return new Flow(JSONObjectUtils.getString(m, "flow"), JSONObjectUtils.getString(m, "browser"),
                    JSONObjectUtils.getString(m, "csrf"), FlowPage.Stage.valueOf(JSONObjectUtils.getString(m, "stage")),
                    PushedRequest.parse(JSONObjectUtils.getJSONObject(m, "request")),
                    (int) JSONObjectUtils.getLong(m, "attempts"), JSONObjectUtils.getString(m, "sub"),
                    JSONObjectUtils.getString(m, "domain"), JSONObjectUtils.getString(m, "username"),
                    JSONObjectUtils.getString(m, "name"), JSONObjectUtils.getLong(m, "auth_time"),
                    JSONObjectUtils.getLong(m, "exp"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ParseException("malformed flow: " + e.getMessage(), 0);
        }
    }

    private static void putIfSet(Map<String, Object> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
