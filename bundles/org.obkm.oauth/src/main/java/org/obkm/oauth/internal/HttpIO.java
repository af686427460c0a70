package org.obkm.oauth.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ServletUtils;

/** Reading requests into Nimbus form and writing OAuth responses, shared by the endpoint servlets. */
final class HttpIO {

    private HttpIO() {
    }

    /**
     * Reads a form POST into a Nimbus request.
     *
     * @throws OAuthException for a wrong method or content type, an oversized or unreadable body
     */
    static HTTPRequest readFormPost(HttpServletRequest req, int maxBytes) throws OAuthException {
        if (!"POST".equals(req.getMethod())) {
            throw Errors.invalidRequest("use POST");
        }
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw Errors.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        if (req.getContentLengthLong() > maxBytes) {
            throw new OAuthException(Errors.requestTooLarge());
        }
        try {
            return ServletUtils.createHTTPRequest(req, maxBytes);
        } catch (IOException | IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("too large")) {
                throw new OAuthException(Errors.requestTooLarge());
            }
            throw Errors.invalidRequest("unreadable request");
        }
    }

    /** The single value of a form parameter; a repeated parameter is an error (RFC 6749 §3.1). */
    static String param(HTTPRequest request, String name) throws OAuthException {
        Map<String, List<String>> params;
        try {
            params = request.getBodyAsFormParameters();
        } catch (ParseException e) {
            throw Errors.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw Errors.invalidRequest("parameter " + name + " must not be repeated");
        }
        return values.get(0);
    }

    static void write(HttpServletResponse resp, HTTPResponse response) throws IOException {
        ServletUtils.applyHTTPResponse(response, resp);
    }

    static void writeError(HttpServletResponse resp, ErrorObject error) throws IOException {
        int status = error.getHTTPStatusCode() > 0 ? error.getHTTPStatusCode() : 400;
        if (status == 401) {
            resp.setHeader("WWW-Authenticate", "Basic realm=\"obkm\", error=\"invalid_client\"");
        }
        writeJson(resp, status, error.toJSONObject().toJSONString());
    }

    static void writeJson(HttpServletResponse resp, int status, String json) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Pragma", "no-cache");
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
