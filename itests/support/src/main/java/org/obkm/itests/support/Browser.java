package org.obkm.itests.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A user's browser, scripted over HTTP: one cookie jar (name and value, sent to every node: cookies
 * ignore the port, RFC 6265 §8.5, as they ignore which node is behind a load balancer), redirects
 * not followed, so each step and each redirect can be looked at and sent to a node of the test's
 * choosing.
 */
public final class Browser {

    private final Https https;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final List<String> setCookieHeaders = new ArrayList<>();

    public Browser(Https https) {
        this.https = https;
    }

    public Https.Response get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    public Https.Response post(URI uri, String form) {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", Https.FORM)
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)));
    }

    /** Posts the login form of this page with its hidden fields. */
    public Https.Response signIn(Https.Response loginPage, String username, String password) {
        String html = loginPage.body();
        return post(loginPage.uri().resolve(Html.formAction(html)), Https.form("flow", Html.hidden(html, "flow"),
                "csrf", Html.hidden(html, "csrf"), "username", username, "password", password));
    }

    /** Posts the consent form of this page with the decision {@code approve} or {@code deny}. */
    public Https.Response decide(Https.Response consentPage, String decision) {
        String html = consentPage.body();
        return post(consentPage.uri().resolve(Html.formAction(html)), Https.form("flow", Html.hidden(html, "flow"),
                "csrf", Html.hidden(html, "csrf"), "decision", decision));
    }

    public synchronized String cookie(String name) {
        return cookies.get(name);
    }

    public synchronized List<String> cookieNames() {
        return List.copyOf(cookies.keySet());
    }

    /** Every Set-Cookie header this browser was sent, in order. */
    public synchronized List<String> setCookieHeaders() {
        return List.copyOf(setCookieHeaders);
    }

    private Https.Response send(HttpRequest.Builder b) {
        synchronized (this) {
            if (!cookies.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                cookies.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append('=').append(v));
                b.header("Cookie", sb.toString());
            }
        }
        Https.Response r = https.exchange(b);
        remember(r);
        return r;
    }

    private synchronized void remember(Https.Response r) {
        for (String header : r.headerValues("Set-Cookie")) {
            setCookieHeaders.add(header);
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String name = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                boolean expired = header.toLowerCase(Locale.ROOT).contains("max-age=0");
                if (expired || value.isEmpty()) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
        }
    }
}
