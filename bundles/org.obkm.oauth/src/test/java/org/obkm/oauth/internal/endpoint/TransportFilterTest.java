package org.obkm.oauth.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.servlet.FilterChain;
import javax.servlet.ServletOutputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 5: every response of the filter's context carries {@code x-fapi-interaction-id} (FAPI 1
 * Baseline §6.2.1-11, FAPI 2.0 SP): the client's own value when it is a safe correlation token, else a
 * fresh RFC 4122 UUID; never a reflected header value that could split the response.
 */
class TransportFilterTest {

    private static final String HEADER = "x-fapi-interaction-id";
    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    private final TransportFilter filter = new TransportFilter(NodeDrain.serving());

    /** What the filter did: the response headers and status, and whether the chain ran. */
    private static final class Outcome {
        final Map<String, String> headers = new HashMap<>();
        int status;
        boolean chained;
    }

    private static HttpServletRequest request(boolean secure, String uri, List<String> interactionIds) {
        return (HttpServletRequest) Proxy.newProxyInstance(TransportFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isSecure" -> secure;
                    case "getRequestURI" -> uri;
                    case "getHeader" -> HEADER.equalsIgnoreCase((String) args[0]) && !interactionIds.isEmpty()
                            ? interactionIds.get(0) : null;
                    case "getHeaders" -> Collections.enumeration(HEADER.equalsIgnoreCase((String) args[0])
                            ? interactionIds : List.<String>of());
                    default -> null;
                });
    }

    private Outcome run(boolean secure, String uri, String... interactionIds) throws Exception {
        return run(secure, uri, (rq, rs) -> { }, interactionIds);
    }

    private Outcome run(boolean secure, String uri, FilterChain servlet, String... interactionIds) throws Exception {
        Outcome o = new Outcome();
        ServletOutputStream out = CapturedOutput.into(new ByteArrayOutputStream());
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(
                TransportFilterTest.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setHeader" -> o.headers.put(((String) args[0]).toLowerCase(), (String) args[1]);
                        case "getHeader" -> {
                            return o.headers.get(((String) args[0]).toLowerCase());
                        }
                        case "setStatus" -> o.status = (Integer) args[0];
                        case "reset" -> o.headers.clear();
                        case "getOutputStream" -> {
                            return out;
                        }
                        case "isCommitted" -> {
                            return false;
                        }
                        default -> {
                            // content type, length, encoding: not what these tests look at
                        }
                    }
                    return null;
                });
        filter.doFilter(request(secure, uri, List.of(interactionIds)), resp, (rq, rs) -> {
            o.chained = true;
            servlet.doFilter(rq, rs);
        });
        return o;
    }

    @Test
    void echoesTheClientsUuid() throws Exception {
        String id = UUID.randomUUID().toString();
        Outcome o = run(true, "/oauth2/userinfo", id);
        assertTrue(o.chained);
        assertEquals(id, o.headers.get(HEADER));
    }

    @Test
    void echoesAnUppercaseUuidAndAShortOpaqueToken() throws Exception {
        String upper = UUID.randomUUID().toString().toUpperCase();
        assertEquals(upper, run(true, "/oauth2/token", upper).headers.get(HEADER));
        assertEquals("req-42.a_b~c", run(true, "/oauth2/token", "req-42.a_b~c").headers.get(HEADER));
    }

    @Test
    void makesAFreshUuidWhenNoneCame() throws Exception {
        String first = run(true, "/oauth2/userinfo").headers.get(HEADER);
        String second = run(true, "/oauth2/userinfo").headers.get(HEADER);
        assertNotNull(first);
        assertTrue(UUID_FORM.matcher(first).matches(), first);
        assertNotEquals(first, second, "a new one per request");
    }

    @Test
    void neverReflectsAnUnsafeValue() throws Exception {
        for (String bad : List.of("abc\r\nSet-Cookie: x=1", "a b", "a;b", "<script>", "\u00e9t\u00e9", "", " ",
                "x".repeat(65), "%0d%0a")) {
            String answered = run(true, "/oauth2/userinfo", bad).headers.get(HEADER);
            assertNotEquals(bad, answered, "reflected " + bad);
            assertTrue(UUID_FORM.matcher(answered).matches(), "a fresh UUID instead of " + bad + ": " + answered);
        }
    }

    @Test
    void acceptsTheLongestAllowedValue() throws Exception {
        String longest = "a".repeat(64);
        assertEquals(longest, run(true, "/oauth2/token", longest).headers.get(HEADER));
    }

    @Test
    void twoValuesAreNoValue() throws Exception {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String answered = run(true, "/oauth2/token", a, b).headers.get(HEADER);
        assertNotEquals(a, answered);
        assertNotEquals(b, answered);
        assertTrue(UUID_FORM.matcher(answered).matches(), answered);
    }

    /** A page that resets its response to answer 503 after a failure (org.obkm.web PageServlet) keeps it. */
    @Test
    void aResetResponseKeepsTheIdAndTheSecurityHeaders() throws Exception {
        String id = UUID.randomUUID().toString();
        Outcome o = run(true, "/authn/login", (rq, rs) -> ((HttpServletResponse) rs).reset(), id);
        assertEquals(id, o.headers.get(HEADER));
        assertEquals("DENY", o.headers.get("x-frame-options"));
        assertEquals("max-age=31536000", o.headers.get("strict-transport-security"));
    }

    /** The refusal of plain HTTP is an API response too. */
    @Test
    void theHttpsRefusalCarriesItToo() throws Exception {
        String id = UUID.randomUUID().toString();
        Outcome o = run(false, "/oauth2/token", id);
        assertEquals(403, o.status);
        assertEquals(false, o.chained);
        assertEquals(id, o.headers.get(HEADER));
    }

    @Test
    void plainHttpServesHealthAndMetricsOnly() throws Exception {
        assertEquals(true, run(false, "/health").chained);
        assertEquals(true, run(false, "/metrics").chained);
        Outcome other = run(false, "/metrics/../oauth2/token");
        assertEquals(false, other.chained);
        assertEquals(403, other.status);
    }
}
