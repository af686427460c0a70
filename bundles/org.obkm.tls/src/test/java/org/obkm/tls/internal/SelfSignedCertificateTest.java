package org.obkm.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class SelfSignedCertificateTest {

    @Test
    void makesWhatKeytoolMadeBefore() throws Exception {
        KeyStore store = SelfSignedCertificate.keyStore("node1.bank.example, 10.0.0.5", "pw".toCharArray());

        X509Certificate cert = (X509Certificate) store.getCertificate("obkm-tls");
        assertTrue(store.getKey("obkm-tls", "pw".toCharArray()) instanceof PrivateKey);
        assertEquals(2048, ((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength());
        assertEquals("SHA256withRSA", cert.getSigAlgName());
        cert.verify(cert.getPublicKey());
        cert.checkValidity();
        assertEquals("CN=node1.bank.example,O=OBKM installation", cert.getSubjectX500Principal().getName());
        assertEquals(List.of(List.of(2, "node1.bank.example"), List.of(7, "10.0.0.5"), List.of(7, "127.0.0.1")),
                cert.getSubjectAlternativeNames().stream().toList());
        long days = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays();
        assertTrue(days >= 825 && days <= 826, "validity " + days + " days");
    }

    @Test
    void blankHostNamesMeanLocalhost() throws Exception {
        X509Certificate cert = (X509Certificate) SelfSignedCertificate.keyStore(" ", "pw".toCharArray())
                .getCertificate("obkm-tls");
        assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")),
                cert.getSubjectAlternativeNames().stream().toList());
    }
}
