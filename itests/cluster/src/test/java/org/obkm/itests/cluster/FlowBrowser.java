package org.obkm.itests.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person's browser in the authorization code flow, scripted over HTTP: one cookie jar shared by all
 * nodes (cookies ignore the port, RFC 6265 §8.5, as they ignore which node is behind a load balancer),
 * redirects not followed, so that each step can go to a node of the test's choosing, and the hidden
 * fields of the login and consent forms read from the HTML.
 */
final class FlowBrowser {

    /** A form page: its status, its hidden fields and the HTML, for failure messages. */
    record Page(int status, Map<String, String> hidden, String html) {
        String field(String name) {
            String v = hidden.get(name);
            if (v == null) {
                throw new AssertionError("no hidden field '" + name + "' in the page (HTTP " + status + "):\n" + html);
            }
            return v;
        }
    }

    /** A response that should be a redirect: its status, Location and body. */
    record Redirect(int status, String location, String body) {
        boolean isSeeOther() {
            return status == 303 && location != null;
        }

        @Override
        public String toString() {
            return "HTTP " + status + (location == null ? "" : " Location: " + location) + " " + body;
        }
    }

    /** The code from the redirect to the client, and how long the login POST (the password check) took. */
    record Code(String code, long loginPostMillis) { }

    private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]+)\\s*=\\s*\"([^\"]*)\"");

    private final Https https;
    private final Supplier<String> diagnostics;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    /** {@code diagnostics} (the nodes' log tails) is appended to every failure. */
    FlowBrowser(Https https, Supplier<String> diagnostics) {
        this.https = https;
        this.diagnostics = diagnostics;
    }

    /**
     * The browser arrives with a pushed request: the authorization endpoint on {@code authorizeOn} sets
     * the browser cookie and sends it (303) to the login page, which is fetched from {@code loginPageOn}.
     */
    Page start(String authorizeOn, String loginPageOn, String clientId, String requestUri)
            throws IOException, InterruptedException {
        Redirect toLogin = authorize(authorizeOn, clientId, requestUri);
        check(toLogin.isSeeOther() && toLogin.location().startsWith("/authn/login?flow="),
                "authorize on " + authorizeOn + ": " + toLogin);
        check(cookieNames().contains("OBKM_BROWSER"), "authorize set no OBKM_BROWSER cookie: " + cookieNames());
        Page login = page(loginPageOn, toLogin.location());
        check(login.status() == 200 && login.hidden().containsKey("flow") && login.hidden().containsKey("csrf"),
                "login page on " + loginPageOn + ": HTTP " + login.status() + "\n" + login.html());
        return login;
    }

    /**
     * Signs in on {@code loginPostOn}, fetches the consent page from {@code consentPageOn}, approves on
     * {@code consentPostOn}, and checks the redirect to the client: {@code redirectUri} with the code, the
     * request's state and the issuer (RFC 9207).
     */
    Code signInAndConsent(Page login, String loginPostOn, String consentPageOn, String consentPostOn, String username,
            String password, String redirectUri, String state, String issuer) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Redirect toConsent = submit(loginPostOn, "/authn/login", login, "username", username, "password", password);
        long loginMillis = (System.nanoTime() - start) / 1_000_000;
        check(toConsent.isSeeOther() && toConsent.location().startsWith("/authn/consent?flow="),
                "login POST on " + loginPostOn + ": " + toConsent);
        Page consent = page(consentPageOn, toConsent.location());
        check(consent.status() == 200 && consent.hidden().containsKey("csrf"),
                "consent page on " + consentPageOn + ": HTTP " + consent.status() + "\n" + consent.html());
        Redirect back = submit(consentPostOn, "/authn/consent", consent, "decision", "approve");
        check(back.isSeeOther() && back.location().startsWith(redirectUri + "?"),
                "consent POST on " + consentPostOn + ": " + back);
        Map<String, String> q = query(back.location());
        check(q.get("code") != null && state.equals(q.get("state")) && issuer.equals(q.get("iss"))
                && !q.containsKey("error"), "redirect to the client: " + back.location());
        return new Code(q.get("code"), loginMillis);
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + "\n" + diagnostics.get());
        }
    }

    /** GET of the authorization endpoint with a pushed request; its answer is a 303 to the login page. */
    Redirect authorize(String baseUrl, String clientId, String requestUri) throws IOException, InterruptedException {
        return redirect(exchange(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/authorize?client_id="
                + Https.enc(clientId) + "&request_uri=" + Https.enc(requestUri))).GET()));
    }

    /** GET of a page by its path and query (a relative Location), on the node at {@code baseUrl}. */
    Page page(String baseUrl, String pathAndQuery) throws IOException, InterruptedException {
        if (!pathAndQuery.startsWith("/")) {
            throw new AssertionError("expected a relative redirect to a page of the server, got " + pathAndQuery);
        }
        HttpResponse<String> r = exchange(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET());
        return new Page(r.statusCode(), hiddenFields(r.body()), r.body());
    }

    /** POST of a page's form: its hidden fields and {@code extra} (username, password, decision). */
    Redirect submit(String baseUrl, String path, Page page, String... extra) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>(page.hidden());
        for (int i = 0; i < extra.length; i += 2) {
            form.put(extra[i], extra[i + 1]);
        }
        return redirect(exchange(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Https.form(form)))));
    }

    private HttpResponse<String> exchange(HttpRequest.Builder b) throws IOException, InterruptedException {
        synchronized (cookies) {
            if (!cookies.isEmpty()) {
                b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
        }
        HttpResponse<String> r = https.exchange(b);
        for (String setCookie : r.headers().allValues("Set-Cookie")) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                synchronized (cookies) {
                    cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        return r;
    }

    private static Redirect redirect(HttpResponse<String> r) {
        return new Redirect(r.statusCode(), r.headers().firstValue("Location").orElse(null), r.body());
    }

    /** The name and value of every {@code <input type="hidden">}; the pages escape values as HTML. */
    static Map<String, String> hiddenFields(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(html);
        while (input.find()) {
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(input.group(1));
            while (a.find()) {
                attrs.put(a.group(1).toLowerCase(java.util.Locale.ROOT), unescape(a.group(2)));
            }
            if ("hidden".equalsIgnoreCase(attrs.get("type")) && attrs.get("name") != null) {
                out.put(attrs.get("name"), attrs.getOrDefault("value", ""));
            }
        }
        return out;
    }

    private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|quot|apos|lt|gt|amp);");

    /** Character references as an HTML encoder writes them (named, decimal, hexadecimal). */
    private static String unescape(String s) {
        return ENTITY.matcher(s).replaceAll(m -> {
            String e = m.group(1);
            String c = switch (e) {
                case "quot" -> "\"";
                case "apos" -> "'";
                case "lt" -> "<";
                case "gt" -> ">";
                case "amp" -> "&";
                default -> Character.toString(e.startsWith("#x") ? Integer.parseInt(e.substring(2), 16)
                        : Integer.parseInt(e.substring(1)));
            };
            return Matcher.quoteReplacement(c);
        });
    }

    /** The query parameters of a redirect to the client, decoded. */
    static Map<String, String> query(String location) {
        String q = URI.create(location).getRawQuery();
        Map<String, String> out = new LinkedHashMap<>();
        if (q != null) {
            for (String kv : q.split("&")) {
                String[] p = kv.split("=", 2);
                out.put(Https.dec(p[0]), p.length > 1 ? Https.dec(p[1]) : "");
            }
        }
        return out;
    }

    List<String> cookieNames() {
        synchronized (cookies) {
            return List.copyOf(cookies.keySet());
        }
    }
}
