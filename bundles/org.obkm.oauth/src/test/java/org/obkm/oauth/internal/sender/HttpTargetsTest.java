package org.obkm.oauth.internal.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** RFC 3986 normalization of DPoP htu values. */
public class HttpTargetsTest {

    @Test
    public void normalizesTargetsPerRfc3986() {
        assertEquals("https://as.bank.example/oauth2/token", HttpTargets.normalized("https://as.bank.example/oauth2/token?a=b#c"));
        assertEquals("https://h:8443/a%2Fb~", HttpTargets.normalized("https://H:8443/x/../a%2fb%7E"));
        assertEquals("http://h/", HttpTargets.normalized("http://h:80"));
        assertNull(HttpTargets.normalized("/oauth2/token"));
        assertNull(HttpTargets.normalized("ftp://h/x"));
        assertNull(HttpTargets.normalized("https://user@h/x"));
        assertNull(HttpTargets.normalized("https://h/%zz"));
    }
}
