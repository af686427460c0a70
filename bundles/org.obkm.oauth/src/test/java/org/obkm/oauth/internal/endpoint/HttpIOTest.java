package org.obkm.oauth.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.ServletOutputStream;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.obkm.oauth.internal.OAuthException;

public class HttpIOTest {

    private static void rejected(String body) {
        OAuthException e = assertThrows(OAuthException.class, () -> HttpIO.checkFormEncoding(body));
        assertEquals("invalid_request", e.error().getCode());
        assertEquals(400, e.error().getHTTPStatusCode());
    }

    @Test
    public void acceptsAWellFormedForm() {
        assertDoesNotThrow(() -> HttpIO.checkFormEncoding("grant_type=client_credentials&scope=a+b%20c%C3%A9"));
    }

    @Test
    public void rejectsBadPercentEscape() {
        rejected("scope=%zz");
    }

    @Test
    public void rejectsTruncatedPercentEscape() {
        rejected("scope=a%2");
    }

    @Test
    public void rejectsInvalidUtf8() {
        rejected("scope=%ff");
    }

    @Test
    public void rejectsRawNonAsciiBytes() {
        rejected("scope=\u00e9");
    }

    @Test
    public void anUnreachableDatabaseIsA503TemporarilyUnavailableWithRetryAfter() throws Exception {
        Map<String, Object> seen = new HashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ServletOutputStream out = CapturedOutput.into(body);
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setStatus" -> seen.put("status", args[0]);
                        case "setHeader" -> seen.put((String) args[0], args[1]);
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> {
                            // content type, length, encoding
                        }
                    }
                    return null;
                });
        // What HikariCP throws when no connection comes within its timeout, as EclipseLink or a store wraps it.
        HttpIO.writeFailure(resp, "token", new IllegalStateException("database error while revoking",
                new SQLTransientConnectionException("obkm - Connection is not available, request timed out after 5000ms.")));
        assertEquals(503, seen.get("status"));
        assertEquals(HttpIO.RETRY_AFTER_SECONDS, seen.get("Retry-After"));
        String json = body.toString(StandardCharsets.UTF_8);
        assertEquals(true, json.contains("\"error\":\"temporarily_unavailable\""), json);
        assertEquals(false, json.contains("Exception") || json.contains("Hikari") || json.contains("5000ms"), json);
    }
}
