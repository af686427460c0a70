package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletResponse;

/**
 * The page a browser sees when the authorization endpoint cannot send it back to the client: the client
 * or its redirect URI could not be established (RFC 6749 §4.1.2.1), so redirecting would be an open
 * redirector. Same look as the login pages; no script; not frameable.
 */
public final class ErrorPage {

    private ErrorPage() {
    }

    public static void write(HttpServletResponse resp, int status, String message) throws IOException {
        securityHeaders(resp);
        resp.setStatus(status);
        resp.setContentType("text/html;charset=UTF-8");
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Request cannot be completed</title>"
                + "<link rel=\"stylesheet\" href=\"/authn/static/obkm.css\"></head>"
                + "<body><main class=\"card\"><h1>We cannot continue with this request</h1>"
                + "<p id=\"error\">" + escape(message) + "</p>"
                + "<p>Please return to the application you came from and try again.</p></main></body></html>\n";
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** Headers of every page and redirect of the authorization endpoint (anti-clickjacking, no caching). */
    public static void securityHeaders(HttpServletResponse resp) {
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Pragma", "no-cache");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Content-Security-Policy",
                "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("X-Content-Type-Options", "nosniff");
    }

    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
