package org.obkm.oauth.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
