package org.obkm.itests.cluster;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.obkm.itests.support.Browser;
import org.obkm.itests.support.Html;
import org.obkm.itests.support.Https;

/**
 * A person's browser in the authorization code flow across the nodes: each step (authorize, the
 * login and consent pages, their form POSTs) goes to a node of the test's choosing, with one cookie
 * jar for all ({@link Browser}), and the hidden fields of the forms read from the HTML.
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

    /** A response that should be a redirect: its status, Location as sent (relative) and body. */
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

    private final Browser browser;
    private final Supplier<String> diagnostics;

    /** {@code diagnostics} (the nodes' log tails) is appended to every failure. */
    FlowBrowser(Https https, Supplier<String> diagnostics) {
        this.browser = new Browser(https);
        this.diagnostics = diagnostics;
    }

    /**
     * The browser arrives with a pushed request: the authorization endpoint on {@code authorizeOn} sets
     * the browser cookie and sends it (303) to the login page, which is fetched from {@code loginPageOn}.
     */
    Page start(String authorizeOn, String loginPageOn, String clientId, String requestUri) {
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
            String password, String redirectUri, String state, String issuer) {
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
        Map<String, String> q = Https.query(URI.create(back.location()));
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
    Redirect authorize(String baseUrl, String clientId, String requestUri) {
        return redirect(browser.get(URI.create(baseUrl + "/oauth2/authorize?client_id="
                + Https.enc(clientId) + "&request_uri=" + Https.enc(requestUri))));
    }

    /** GET of a page by its path and query (a relative Location), on the node at {@code baseUrl}. */
    Page page(String baseUrl, String pathAndQuery) {
        if (!pathAndQuery.startsWith("/")) {
            throw new AssertionError("expected a relative redirect to a page of the server, got " + pathAndQuery);
        }
        Https.Response r = browser.get(URI.create(baseUrl + pathAndQuery));
        return new Page(r.status(), Html.hiddenFields(r.body()), r.body());
    }

    /** POST of a page's form: its hidden fields and {@code extra} (username, password, decision). */
    Redirect submit(String baseUrl, String path, Page page, String... extra) {
        Map<String, String> form = new LinkedHashMap<>(page.hidden());
        for (int i = 0; i < extra.length; i += 2) {
            form.put(extra[i], extra[i + 1]);
        }
        return redirect(browser.post(URI.create(baseUrl + path), Https.form(form)));
    }

    private static Redirect redirect(Https.Response r) {
        return new Redirect(r.status(), r.header("Location"), r.body());
    }

    List<String> cookieNames() {
        return browser.cookieNames();
    }
}
