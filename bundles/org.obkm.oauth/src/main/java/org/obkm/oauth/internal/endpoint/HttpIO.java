package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import java.util.Optional;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.Failures;
import org.obkm.oauth.internal.OAuthException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/** Reading requests into Nimbus form and writing OAuth responses, shared by the endpoint servlets. */
public final class HttpIO {

    private static final Logger LOG = LoggerFactory.getLogger(HttpIO.class);

    private HttpIO() {
    }

    /**
     * Reads a form POST into a Nimbus request. The body is read here, at most {@code maxBytes}, rather
     * than through the servlet parameter map, which would merge URL query parameters into the form
     * (RFC 6749 §2.3.1: a secret must never travel in the URL) and apply no limit to chunked bodies.
     *
     * @throws OAuthException for a wrong method, content type or query string, an oversized,
     *         unreadable or malformed body
     */
    public static HTTPRequest readFormPost(HttpServletRequest req, int maxBytes) throws OAuthException {
        if (!"POST".equals(req.getMethod())) {
            throw Errors.invalidRequest("use POST");
        }
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw Errors.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        if (req.getQueryString() != null && !req.getQueryString().isEmpty()) {
            throw Errors.invalidRequest("parameters belong in the form body, not in the URL");
        }
        if (req.getContentLengthLong() > maxBytes) {
            drain(req);
            throw new OAuthException(Errors.requestTooLarge());
        }
        String body;
        try (InputStream in = req.getInputStream()) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new OAuthException(Errors.requestTooLarge());
            }
            body = new String(bytes, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            // A body cut off, stalled past the request idle timeout, or trickling in below the minimum data
            // rate (etc/jetty-https.xml): the container's stream throws, an I/O or an unchecked exception of
            // its own (Jetty's BadMessageException 408). Either way the client's fault (issue 16).
            throw Errors.invalidRequest("unreadable request body");
        }
        checkFormEncoding(body);
        try {
            HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create(req.getRequestURL().toString()));
            r.setContentType(type);
            r.setAuthorization(req.getHeader("Authorization"));
            r.setAccept(req.getHeader("Accept"));
            copyDpopHeader(req, r);
            r.setBody(body);
            // The client certificate is not read here: ClientCertificates knows whether it comes from the
            // connection or from a trusted load balancer's header (FormEndpoint sets it).
            return r;
        } catch (ParseException | IllegalArgumentException e) {
            throw Errors.invalidRequest("unreadable request");
        }
    }

    /** Largest refused body read to its end, so the client is not cut off mid-send and sees the 413. */
    private static final long DRAIN_LIMIT = 1 << 20;

    /** Reads and drops a refused body of up to 1 MiB; a larger one is cut off with the connection. */
    private static void drain(HttpServletRequest req) {
        if (req.getContentLengthLong() > DRAIN_LIMIT) {
            return;
        }
        try (InputStream in = req.getInputStream()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client went away; nothing to tell it
        }
    }

    /** RFC 9449 §4.3: exactly one DPoP header when there is one. */
    public static void copyDpopHeader(HttpServletRequest req, HTTPRequest r) throws OAuthException {
        java.util.Enumeration<String> dpop = req.getHeaders("DPoP");
        if (dpop != null && dpop.hasMoreElements()) {
            String proof = dpop.nextElement();
            if (dpop.hasMoreElements()) {
                throw new OAuthException(new ErrorObject("invalid_dpop_proof", "send one DPoP header", 400));
            }
            r.setHeader("DPoP", proof);
        }
    }

    /** Percent-encoding must be well formed and decode to valid UTF-8; anything else is refused. */
    public static void checkFormEncoding(String body) throws OAuthException {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '%') {
                if (i + 2 >= body.length() || Character.digit(body.charAt(i + 1), 16) < 0
                        || Character.digit(body.charAt(i + 2), 16) < 0) {
                    throw Errors.invalidRequest("malformed percent-encoding in the form body");
                }
            } else if (c > 0x7e || (c < 0x20 && c != '\t' && c != '\r' && c != '\n')) {
                throw Errors.invalidRequest("the form body must be percent-encoded ASCII");
            }
        }
        for (List<String> values : URLUtils.parseParameters(body).values()) {
            for (String v : values) {
                if (v.indexOf('\uFFFD') >= 0) {
                    throw Errors.invalidRequest("the form body is not valid UTF-8");
                }
            }
        }
    }

    /** The single value of a form parameter; a repeated parameter is an error (RFC 6749 §3.1). */
    public static String param(HTTPRequest request, String name) throws OAuthException {
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

    /**
     * Whether the request's method is one of those the endpoint serves; if not, answers {@code 405} with
     * an {@code Allow} header (RFC 9110 §15.5.6) and an RFC 6749 error body, and returns false. OPTIONS
     * and TRACE are not served anywhere.
     */
    public static boolean allows(HttpServletRequest req, HttpServletResponse resp, String... methods)
            throws IOException {
        String method = req.getMethod();
        for (String m : methods) {
            if (m.equals(method)) {
                return true;
            }
        }
        String allow = String.join(", ", methods);
        resp.setHeader("Allow", allow);
        writeError(resp, new ErrorObject("invalid_request", "this endpoint accepts " + allow + " only", 405));
        return false;
    }

    public static void writeError(HttpServletResponse resp, OAuthException e) throws IOException {
        e.headers().forEach(resp::setHeader);
        writeError(resp, e.error());
    }

    /** What a 503 {@code temporarily_unavailable} asks a client to wait before it retries. */
    static final String RETRY_AFTER_SECONDS = "2";

    public static void writeError(HttpServletResponse resp, ErrorObject error) throws IOException {
        int status = error.getHTTPStatusCode() > 0 ? error.getHTTPStatusCode() : 400;
        if (status == 401 && resp.getHeader("WWW-Authenticate") == null) {
            resp.setHeader("WWW-Authenticate", "Basic realm=\"obkm\", error=\"invalid_client\"");
        }
        if (status == 503) {
            // RFC 9110 §10.2.3: when to try again. A database failover or restart takes seconds, and a load
            // balancer has taken this node out of rotation by then (its /health answers 503 too).
            resp.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        writeJson(resp, status, error.toJSONObject().toJSONString());
    }

    public static void writeJson(HttpServletResponse resp, int status, String json) throws IOException {
        write(resp, status, "application/json", "UTF-8", json);
    }

    /**
     * A response that is not to be cached (RFC 6749 §5.1), of exactly this media type: an ASCII body such as
     * a compact JWS needs no charset parameter (RFC 9701 §5: {@code application/token-introspection+jwt}).
     */
    public static void write(HttpServletResponse resp, int status, String contentType, String text) throws IOException {
        write(resp, status, contentType, null, text);
    }

    private static void write(HttpServletResponse resp, int status, String contentType, String charset, String text)
            throws IOException {
        resp.setStatus(status);
        resp.setContentType(contentType);
        if (charset != null) {
            resp.setCharacterEncoding(charset);
        }
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Pragma", "no-cache");
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** Answers an unexpected failure of a JSON endpoint: 503 for an unavailability, else 500. */
    public static void writeFailure(HttpServletResponse resp, String where, RuntimeException failure) throws IOException {
        Optional<String> unavailable = Failures.unavailability(failure);
        if (unavailable.isPresent()) {
            LOG.warn("{}: {} ({})", where, unavailable.get(), failure.getClass().getName());
            HttpIO.writeError(resp, OAuth2Error.TEMPORARILY_UNAVAILABLE.setDescription(unavailable.get()));
        } else {
            LOG.error("Request to {} failed", where, failure);
            HttpIO.writeError(resp, OAuth2Error.SERVER_ERROR.setDescription("internal error"));
        }
    }
}
