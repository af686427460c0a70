package org.obkm.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.obkm.api.flow.FlowPage;
import org.obkm.api.flow.Permission;

/** Sample pages and the checks every page test makes. */
final class Pages {

    private Pages() {
    }

    static FlowPage login(String flowId, String clientName) {
        return new FlowPage(flowId, FlowPage.Stage.LOGIN, "csrf-" + flowId, clientName, "client-1", "", List.of(),
                "", "");
    }

    static FlowPage consent(String flowId, String clientName, Permission... permissions) {
        return new FlowPage(flowId, FlowPage.Stage.CONSENT, "csrf-" + flowId, clientName, "client-1", "Alice Smith",
                List.of(permissions), "", "");
    }

    /** The headers the brief asks of every response of the pages. */
    static void assertSecured(RawResponse r) {
        assertEquals("text/html;charset=utf-8", r.get("Content-Type").toLowerCase().replace(" ", ""));
        assertEquals("no-store", r.get("Cache-Control"));
        assertEquals("DENY", r.get("X-Frame-Options"));
        assertEquals("default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'",
                r.get("Content-Security-Policy"));
        assertEquals("no-referrer", r.get("Referrer-Policy"));
        assertEquals("nosniff", r.get("X-Content-Type-Options"));
    }

    /** An error page with the given status and message, and nothing of a stack trace. */
    static void assertErrorPage(RawResponse r, int status, String message) {
        assertEquals(status, r.getStatus(), r.getContent());
        assertSecured(r);
        assertTrue(r.getContent().contains("<p id=\"error\" class=\"message\">" + message + "</p>"), r.getContent());
        assertFalse(r.getContent().contains("Exception"), r.getContent());
    }
}
