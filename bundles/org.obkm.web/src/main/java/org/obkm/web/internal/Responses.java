package org.obkm.web.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

/** Writing the pages' responses with the headers every one of them carries. */
final class Responses {

    static final String HTML = "text/html;charset=UTF-8";

    /**
     * No scripts, no frames, styles from this origin only. {@code form-action} is left out on purpose:
     * Chromium and Safari apply it to the redirect that follows a form submission too, and every
     * sign-in and consent ends in a 303 to the client's redirect_uri on another origin, which
     * {@code form-action 'self'} would block (w3c/webappsec-csp#8). The forms post to fixed paths of
     * this origin and the pages contain no injected markup (everything is escaped), so the directive
     * would add little.
     */
    static final String CSP = "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Responses() {
    }

    /**
     * The page that posts a response to the client (JARM §4.3.3, OAuth 2.0 Form Post Response Mode §2): a
     * form the browser submits at once. Its one script runs by a nonce made for this response alone
     * (CSP Level 3 §6.1.4.1); inline handlers and other scripts stay forbidden. Without script the
     * person presses the button.
     */
    static void formPost(HttpServletResponse resp, URI to, Map<String, String> fields) throws IOException {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        resp.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'nonce-"
                + nonce + "'; frame-ancestors 'none'; base-uri 'none'");
        html(resp, HttpServletResponse.SC_OK, Html.formPost(to.toASCIIString(), fields, nonce));
    }

    /** Headers for every response of the pages, set before anything else can fail. */
    static void secure(HttpServletResponse resp) {
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("X-Content-Type-Options", "nosniff");
    }

    static void html(HttpServletResponse resp, int status, String html) throws IOException {
        write(resp, status, HTML, html.getBytes(StandardCharsets.UTF_8));
    }

    /** 303 See Other: after a POST the browser follows it with a GET (RFC 9110 §15.4.4). */
    static void seeOther(HttpServletResponse resp, String location) throws IOException {
        resp.setHeader("Location", location);
        write(resp, HttpServletResponse.SC_SEE_OTHER, HTML, new byte[0]);
    }

    static void write(HttpServletResponse resp, int status, String contentType, byte[] body) throws IOException {
        resp.setStatus(status);
        resp.setContentType(contentType);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
