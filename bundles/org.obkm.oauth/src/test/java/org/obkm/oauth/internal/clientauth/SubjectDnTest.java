package org.obkm.oauth.internal.clientauth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;

/** tls_client_auth subject DN matching (RFC 8705 §2.1.2) as TPP certificates need it. */
public class SubjectDnTest {

    /** organizationIdentifier (2.5.4.97) = "PSDGB-FCA-123456" as a UTF8String, as in an eIDAS QWAC. */
    private static final X500Principal QWAC = new X500Principal(
            "CN=tpp.example,2.5.4.97=#0c1050534447422d4643412d313233343536,O=Example TPP Ltd,C=GB");

    @Test
    public void organizationIdentifierMatchesByName() {
        assertTrue(TlsClientAuthVerifier.sameDn("CN=tpp.example, organizationIdentifier=PSDGB-FCA-123456, O=Example TPP Ltd, C=GB", QWAC));
    }

    @Test
    public void caseAndSpacingDoNotCount() {
        assertTrue(TlsClientAuthVerifier.sameDn("cn=TPP.example,organizationidentifier=psdgb-fca-123456,o=example tpp ltd,c=gb", QWAC));
        assertTrue(TlsClientAuthVerifier.sameDn("CN=tpp.example,2.5.4.97=PSDGB-FCA-123456,O=Example TPP Ltd,C=GB", QWAC));
    }

    @Test
    public void anotherValueOrOrderDoesNotMatch() {
        assertFalse(TlsClientAuthVerifier.sameDn("CN=tpp.example, organizationIdentifier=PSDGB-FCA-654321, O=Example TPP Ltd, C=GB", QWAC));
        assertFalse(TlsClientAuthVerifier.sameDn("C=GB, O=Example TPP Ltd, organizationIdentifier=PSDGB-FCA-123456, CN=tpp.example", QWAC));
        assertFalse(TlsClientAuthVerifier.sameDn("CN=tpp.example, O=Example TPP Ltd, C=GB", QWAC));
    }

    @Test
    public void malformedRegisteredDnDoesNotMatch() {
        assertFalse(TlsClientAuthVerifier.sameDn("not a dn", QWAC));
        assertFalse(TlsClientAuthVerifier.sameDn("", QWAC));
        assertFalse(TlsClientAuthVerifier.sameDn(null, QWAC));
    }
}
