package org.obkm.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StylesheetServletTest {

    @Test
    void servesTheStylesheetForALongTime() throws Exception {
        try (WebFixture web = new WebFixture()) {
            RawResponse r = web.get(StylesheetServlet.HREF, null);
            assertEquals(200, r.getStatus());
            assertEquals("text/css;charset=utf-8", r.get("Content-Type").toLowerCase());
            assertEquals("public, max-age=31536000, immutable", r.get("Cache-Control"));
            assertEquals("nosniff", r.get("X-Content-Type-Options"));
            assertTrue(r.getContent().contains(":focus-visible"));
            assertTrue(StylesheetServlet.HREF.matches("/authn/static/obkm\\.css\\?v=[0-9a-f]{12}"));

            RawResponse post = web.send("POST " + StylesheetServlet.PATH + " HTTP/1.1\nHost: localhost\n"
                    + "Connection: close\nContent-Length: 0\n\n");
            assertEquals(405, post.getStatus());
            Pages.assertSecured(post);
        }
    }
}
