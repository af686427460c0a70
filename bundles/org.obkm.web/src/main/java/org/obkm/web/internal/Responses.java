package org.obkm.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

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

    private Responses() {
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
