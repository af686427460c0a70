package org.obkm.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.flow.FlowStep;

class LoginServletTest {

    private static final String FORM = "flow=f1&csrf=csrf-f1&username=alice&password=s%C3%A9cret+pass%26%3D";

    private WebFixture web;

    @BeforeEach
    void start() throws Exception {
        web = new WebFixture();
        web.flows.pages.put("f1", Pages.login("f1", "Demo TPP"));
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void rendersTheLoginFormWithFlowAndCsrfFields() throws Exception {
        RawResponse r = web.get("/authn/login?flow=f1", FakeFlows.BROWSER);
        assertEquals(200, r.getStatus());
        Pages.assertSecured(r);
        String html = r.getContent();
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"), html);
        assertTrue(html.contains("<meta name=\"viewport\""), html);
        assertTrue(html.contains("<main class=\"card\">"), html);
        assertTrue(html.contains("<form method=\"post\" action=\"/authn/login\">"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"flow\" value=\"f1\">"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"csrf\" value=\"csrf-f1\">"), html);
        assertTrue(html.contains("<label for=\"username\">Username</label>"), html);
        assertTrue(html.contains("<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\""), html);
        assertTrue(html.contains("<label for=\"password\">Password</label>"), html);
        assertTrue(html.contains("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\""), html);
        assertTrue(html.contains("<button type=\"submit\" id=\"sign-in\" class=\"primary\">Sign in</button>"), html);
        assertTrue(html.contains("<link rel=\"stylesheet\" href=\"/authn/static/obkm.css?v="), html);
        assertFalse(html.contains("id=\"message\""), html);
        assertFalse(html.toLowerCase().contains("<script"), html);
    }

    @Test
    void escapesTheClientNameAndTheTypedUsername() throws Exception {
        web.flows.pages.put("f2", new org.obkm.api.flow.FlowPage("f2\"x", org.obkm.api.flow.FlowPage.Stage.LOGIN,
                "c'srf", "<script>alert(1)</script> & Co", "c", "", null, "\"><img src=x>", "Wrong <b>password</b>"));
        String html = web.get("/authn/login?flow=f2", FakeFlows.BROWSER).getContent();
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("<b>"), html);
        assertTrue(html.contains("<strong id=\"client-name\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</strong>"), html);
        assertTrue(html.contains("value=\"&#34;&gt;&lt;img src=x&gt;\""), html);
        assertTrue(html.contains("name=\"flow\" value=\"f2&#34;x\""), html);
        assertTrue(html.contains("name=\"csrf\" value=\"c&#39;srf\""), html);
        assertTrue(html.contains("<p id=\"message\" class=\"message\" role=\"alert\">Wrong &lt;b&gt;password&lt;/b&gt;</p>"), html);
    }

    @Test
    void anUnknownFlowOrAnotherBrowserGetsTheExpiredPage() throws Exception {
        Pages.assertErrorPage(web.get("/authn/login?flow=nope", FakeFlows.BROWSER), 400, Html.EXPIRED);
        Pages.assertErrorPage(web.get("/authn/login?flow=f1", "other-browser"), 400, Html.EXPIRED);
        Pages.assertErrorPage(web.get("/authn/login?flow=f1", null), 400, Html.EXPIRED);
        Pages.assertErrorPage(web.get("/authn/login", FakeFlows.BROWSER), 400, Html.EXPIRED);
    }

    @Test
    void aFlowPastLoginGoesToTheConsentPage() throws Exception {
        web.flows.pages.put("a b", Pages.consent("a b", "Demo TPP"));
        RawResponse r = web.get("/authn/login?flow=a+b", FakeFlows.BROWSER);
        assertEquals(303, r.getStatus());
        Pages.assertSecured(r);
        assertTrue(r.get("Location").endsWith("/authn/consent?flow=a+b"), r.get("Location"));
    }

    @Test
    void signInPassesTheFormAndZeroesThePassword() throws Exception {
        web.flows.next = FlowStep.redirect(URI.create("/authn/consent?flow=f1"));
        web.post("/authn/login", FORM);
        assertEquals("f1", web.flows.flowId);
        assertEquals(FakeFlows.BROWSER, web.flows.browserKey);
        assertEquals("csrf-f1", web.flows.csrf);
        assertEquals("alice", web.flows.username);
        assertEquals("s\u00e9cret pass&=", web.flows.passwordSeen);
        assertArrayEquals(new char[web.flows.passwordSeen.length()], web.flows.password);
    }

    @Test
    void aRedirectStepIs303() throws Exception {
        web.flows.next = FlowStep.redirect(URI.create("https://tpp.example/cb?code=abc&state=x%20y"));
        RawResponse r = web.post("/authn/login", FORM);
        assertEquals(303, r.getStatus());
        assertEquals("https://tpp.example/cb?code=abc&state=x%20y", r.get("Location"));
        Pages.assertSecured(r);
    }

    @Test
    void aShowStepRendersTheLoginAgainWithAnAlert() throws Exception {
        web.flows.next = FlowStep.show(Pages.login("f1", "Demo TPP").withMessage("Wrong username or password."));
        RawResponse r = web.post("/authn/login", FORM);
        assertEquals(200, r.getStatus());
        Pages.assertSecured(r);
        assertTrue(r.getContent().contains("<p id=\"message\" class=\"message\" role=\"alert\">Wrong username or password.</p>"));
        assertTrue(r.getContent().contains("<form method=\"post\" action=\"/authn/login\">"));
    }

    @Test
    void aFailedStepIsTheErrorPageWith400() throws Exception {
        web.flows.next = FlowStep.failed("Too many failed attempts. Return to the application and start again.");
        Pages.assertErrorPage(web.post("/authn/login", FORM), 400,
                "Too many failed attempts. Return to the application and start again.");
    }

    @Test
    void otherMethodsGet405() throws Exception {
        for (String method : new String[] {"PUT", "DELETE", "HEAD", "OPTIONS", "TRACE", "PATCH"}) {
            RawResponse r = web.send(method + " /authn/login?flow=f1 HTTP/1.1\nHost: localhost\n"
                    + "Connection: close\nContent-Length: 0\n\n");
            assertEquals(405, r.getStatus(), method);
            assertEquals("GET, POST", r.get("Allow"), method);
            Pages.assertSecured(r);
        }
        assertEquals(0, web.flows.calls);
    }

    @Test
    void anOversizedBodyIsRefusedWith400() throws Exception {
        String big = FORM + "&pad=" + "a".repeat(FormData.MAX_BYTES);
        Pages.assertErrorPage(web.post("/authn/login", big), 400, Html.BAD_REQUEST);
        // Chunked, so no Content-Length to look at beforehand.
        String chunk = "a".repeat(4096);
        StringBuilder chunked = new StringBuilder("POST /authn/login HTTP/1.1\nHost: localhost\nConnection: close\n"
                + "Content-Type: application/x-www-form-urlencoded\nTransfer-Encoding: chunked\n\n");
        for (int i = 0; i < 5; i++) {
            chunked.append(Integer.toHexString(chunk.length())).append('\n').append(chunk).append('\n');
        }
        chunked.append("0\n\n");
        Pages.assertErrorPage(web.send(chunked.toString()), 400, Html.BAD_REQUEST);
        assertEquals(0, web.flows.calls);
    }

    @Test
    void malformedOrMisplacedInputIsRefusedWith400() throws Exception {
        String[] forms = {
            "flow=f1&csrf=csrf-f1&username=alice",                         // no password field
            "csrf=csrf-f1&username=alice&password=x",                      // no flow
            "flow=f1&username=alice&password=x",                           // no csrf
            FORM + "&password=again",                                      // repeated
            "flow=f1&csrf=csrf-f1&username=alice&password=%zz",            // bad percent-encoding
            "flow=f1&csrf=csrf-f1&username=alice&password=%C3%28",         // not UTF-8
            "flow=f1&csrf=csrf-f1&username=al\u00efce&password=x",         // raw non-ASCII
        };
        for (String form : forms) {
            Pages.assertErrorPage(web.post("/authn/login", form), 400, Html.BAD_REQUEST);
        }
        // The password never comes from the URL, and the body must be a form.
        Pages.assertErrorPage(web.post("/authn/login?password=x", FORM), 400, Html.BAD_REQUEST);
        Pages.assertErrorPage(web.send("POST /authn/login HTTP/1.1\nHost: localhost\nConnection: close\n"
                + "Content-Type: application/json\nContent-Length: 2\n\n{}"), 400, Html.BAD_REQUEST);
        Pages.assertErrorPage(web.get("/authn/login?flow=f1&flow=f2", FakeFlows.BROWSER), 400, Html.BAD_REQUEST);
        assertEquals(0, web.flows.calls);
        assertNull(web.flows.passwordSeen);
    }

    @Test
    void anUnexpectedFailureIs503WithoutDetails() throws Exception {
        web.flows.failure = new IllegalStateException("database down at jdbc:secret");
        RawResponse r = web.get("/authn/login?flow=f1", FakeFlows.BROWSER);
        Pages.assertErrorPage(r, 503, Html.UNAVAILABLE);
        assertFalse(r.getContent().contains("jdbc"));
        Pages.assertErrorPage(web.post("/authn/login", FORM), 503, Html.UNAVAILABLE);
        assertArrayEquals(new char[web.flows.passwordSeen.length()], web.flows.password);
    }
}
