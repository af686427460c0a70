package org.obkm.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.flow.ConsentDetails;
import org.obkm.api.flow.FlowPage;
import org.obkm.api.flow.FlowStep;
import org.obkm.api.flow.Permission;

class ConsentServletTest {

    private WebFixture web;

    @BeforeEach
    void start() throws Exception {
        web = new WebFixture();
        web.flows.pages.put("f1", Pages.consent("f1", "Demo TPP",
                new Permission("accounts", "Read your account details", "Balances and transactions."),
                new Permission("payments", "Make payments", null)));
        web.flows.pages.put("l1", Pages.login("l1", "Demo TPP"));
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void rendersWhoAsksForWhatAndBothButtons() throws Exception {
        RawResponse r = web.get("/authn/consent?flow=f1", FakeFlows.BROWSER);
        assertEquals(200, r.getStatus());
        Pages.assertSecured(r);
        String html = r.getContent();
        assertTrue(html.contains("<h1><span id=\"client-name\">Demo TPP</span> wants to:</h1>"), html);
        assertTrue(html.contains("<form method=\"post\" action=\"/authn/consent\">"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"flow\" value=\"f1\">"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"csrf\" value=\"csrf-f1\">"), html);
        assertTrue(html.contains("<li class=\"permission\" data-code=\"accounts\"><span class=\"permission-title\">"
                + "Read your account details</span><span class=\"permission-description\">Balances and transactions."
                + "</span></li>"), html);
        assertTrue(html.contains("<li class=\"permission\" data-code=\"payments\"><span class=\"permission-title\">"
                + "Make payments</span></li>"), html);
        assertTrue(html.contains("Signed in as <strong>Alice Smith</strong>"), html);
        assertTrue(html.contains("withdraw this consent"), html);
        assertTrue(html.contains("<button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\" "
                + "class=\"primary\">Allow</button>"), html);
        assertTrue(html.contains("<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\" "
                + "class=\"secondary\">Deny</button>"), html);
    }

    @Test
    void escapesClientNameAndPermissions() throws Exception {
        web.flows.pages.put("x", Pages.consent("x", "<script>alert('x')</script>",
                new Permission("a\"b", "<i>all</i>", "<script>")));
        String html = web.get("/authn/consent?flow=x", FakeFlows.BROWSER).getContent();
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<i>"), html);
        assertTrue(html.contains("<span id=\"client-name\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</span>"), html);
        assertTrue(html.contains("data-code=\"a&#34;b\""), html);
    }

    @Test
    void aFlowStillAtLoginGoesToTheLoginPage() throws Exception {
        RawResponse r = web.get("/authn/consent?flow=l1", FakeFlows.BROWSER);
        assertEquals(303, r.getStatus());
        assertTrue(r.get("Location").endsWith("/authn/login?flow=l1"), r.get("Location"));
        Pages.assertErrorPage(web.get("/authn/consent?flow=f1", "another"), 400, Html.EXPIRED);
    }

    @Test
    void approveAndDenyAreRecordedAndRedirected() throws Exception {
        web.flows.next = FlowStep.redirect(URI.create("https://tpp.example/cb?code=c1"));
        RawResponse r = web.post("/authn/consent", "flow=f1&csrf=csrf-f1&decision=approve");
        assertEquals(303, r.getStatus());
        assertEquals("https://tpp.example/cb?code=c1", r.get("Location"));
        Pages.assertSecured(r);
        assertEquals(Boolean.TRUE, web.flows.approve);
        assertEquals("csrf-f1", web.flows.csrf);
        assertEquals(FakeFlows.BROWSER, web.flows.browserKey);

        web.flows.next = FlowStep.redirect(URI.create("https://tpp.example/cb?error=access_denied"));
        r = web.post("/authn/consent", "flow=f1&csrf=csrf-f1&decision=deny");
        assertEquals(303, r.getStatus());
        assertEquals(Boolean.FALSE, web.flows.approve);
    }

    private static FlowPage openBanking(ConsentDetails.Selection selection, String problem) {
        ConsentDetails d = new ConsentDetails("c-42", "Share your account information",
                List.of(new Permission("ReadBalances", "Your balances", "How much money is in each account.")),
                List.of(new ConsentDetails.Fact("expires", "Expires", "2 August 2099, 00:00 UTC")),
                List.of(new ConsentDetails.AccountChoice("22289", "Current account, 80200110203345 (GBP)"),
                        new ConsentDetails.AccountChoice("31820", "Savings <b>account</b>")),
                selection, problem);
        return new FlowPage("ob", FlowPage.Stage.CONSENT, "csrf-ob", "Demo TPP", "client-1", "Alice Smith", List.of(),
                "", "", d);
    }

    @Test
    void openBankingConsentIsPlayedBackWithTheAccountsToSelect() throws Exception {
        web.flows.pages.put("ob", openBanking(ConsentDetails.Selection.MANY, ""));
        String html = web.get("/authn/consent?flow=ob", FakeFlows.BROWSER).getContent();
        assertTrue(html.contains("<span id=\"consent-id\">c-42</span>"), html);
        assertTrue(html.contains("<p class=\"lead\" id=\"consent-title\">Share your account information</p>"), html);
        assertTrue(html.contains("data-code=\"ReadBalances\"><span class=\"permission-title\">Your balances</span>"), html);
        assertTrue(html.contains("<dd id=\"fact-expires\">2 August 2099, 00:00 UTC</dd>"), html);
        assertTrue(html.contains("<input type=\"checkbox\" name=\"account.0\" id=\"account-22289\" value=\"22289\">"),
                html);
        assertTrue(html.contains("Savings &lt;b&gt;account&lt;/b&gt;"), html);
        assertTrue(html.contains("id=\"approve\""), html);
    }

    @Test
    void paymentOffersOneAccountAndAProblemHidesApprove() throws Exception {
        web.flows.pages.put("ob", openBanking(ConsentDetails.Selection.ONE, "We cannot show your accounts right now."));
        String html = web.get("/authn/consent?flow=ob", FakeFlows.BROWSER).getContent();
        assertTrue(html.contains("<input type=\"radio\" name=\"account\" id=\"account-22289\""), html);
        assertTrue(html.contains("<p id=\"consent-problem\" class=\"message\" role=\"alert\">We cannot show"), html);
        assertFalse(html.contains("id=\"approve\""), "no approval while the consent cannot be approved");
        assertTrue(html.contains("id=\"deny\""), html);
    }

    @Test
    void selectedAccountsArePassedWithTheDecision() throws Exception {
        web.flows.pages.put("ob", openBanking(ConsentDetails.Selection.MANY, ""));
        web.flows.next = FlowStep.redirect(URI.create("https://tpp.example/cb?code=c1"));
        web.post("/authn/consent", "flow=ob&csrf=csrf-ob&account.0=22289&account.1=31820&decision=approve");
        assertEquals(List.of("22289", "31820"), web.flows.accounts);
        web.post("/authn/consent", "flow=ob&csrf=csrf-ob&account=31820&decision=approve");
        assertEquals(List.of("31820"), web.flows.accounts);
        web.post("/authn/consent", "flow=ob&csrf=csrf-ob&decision=deny");
        assertEquals(List.of(), web.flows.accounts);
    }

    /** form_post.jwt (JARM §4.3.3): a page that posts the response at once, its one script allowed by a nonce. */
    @Test
    void aFormPostResponseIsAnAutoSubmittingFormWithANonceScript() throws Exception {
        web.flows.next = FlowStep.post(URI.create("https://tpp.example/cb"), java.util.Map.of("response", "eyJ.a\"b.c"));
        RawResponse r = web.post("/authn/consent", "flow=f1&csrf=csrf-f1&decision=approve");
        assertEquals(200, r.getStatus());
        assertEquals("no-store", r.get("Cache-Control"));
        assertEquals("DENY", r.get("X-Frame-Options"));
        String csp = r.get("Content-Security-Policy");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("script-src 'nonce-([A-Za-z0-9_-]{24})'").matcher(csp);
        assertTrue(m.find(), csp);
        assertTrue(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), csp);
        String html = r.getContent();
        assertTrue(html.contains("<form id=\"response-form\" method=\"post\" action=\"https://tpp.example/cb\">"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"response\" value=\"eyJ.a&#34;b.c\">"), html);
        assertTrue(html.contains("<script nonce=\"" + m.group(1) + "\">document.getElementById('response-form')"
                + ".submit();</script>"), html);
        assertEquals(1, html.split("<script").length - 1, "one script, the nonce's");
        String again = web.post("/authn/consent", "flow=f1&csrf=csrf-f1&decision=approve").get("Content-Security-Policy");
        assertFalse(again.equals(csp), "a new nonce for every response");
    }

    @Test
    void aFailedDecisionIsTheErrorPage() throws Exception {
        web.flows.next = FlowStep.failed("");
        Pages.assertErrorPage(web.post("/authn/consent", "flow=f1&csrf=wrong&decision=approve"), 400, Html.EXPIRED);
    }

    @Test
    void anythingButApproveOrDenyIsRefused() throws Exception {
        for (String form : new String[] {"flow=f1&csrf=csrf-f1", "flow=f1&csrf=csrf-f1&decision=yes",
            "flow=f1&csrf=csrf-f1&decision=approve&decision=deny", "flow=f1&decision=approve"}) {
            Pages.assertErrorPage(web.post("/authn/consent", form), 400, Html.BAD_REQUEST);
        }
        assertEquals(0, web.flows.calls);
        RawResponse r = web.send("PUT /authn/consent HTTP/1.1\nHost: localhost\nConnection: close\n"
                + "Content-Length: 0\n\n");
        assertEquals(405, r.getStatus());
        Pages.assertSecured(r);
    }
}
