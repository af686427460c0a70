package org.obkm.userstore.ldap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.obkm.api.user.AuthenticationResult.Outcome;
import org.obkm.api.user.StoreDiagnostics.Step;
import org.obkm.userstore.ldap.internal.TestDirectory.Tls;

/** ldaps:// and StartTLS with a self-signed server certificate, trusted through TrustStore, and host checks. */
class LdapTlsTest {

    @TempDir
    static Path tmp;
    private static Path localhostKeys;
    private static Path localhostPem;

    @BeforeAll
    static void certificates() {
        localhostKeys = TestDirectory.keyStore(tmp, "localhost");
        localhostPem = TestDirectory.pem(localhostKeys);
    }

    private static Map<String, String> tlsProperties(String url, Path trustStore) {
        Map<String, String> p = TestDirectory.properties(url);
        if (trustStore != null) {
            p.put("TrustStore", trustStore.toString());
        }
        return p;
    }

    @Test
    void signsInOverStartTls() throws Exception {
        try (TestDirectory dir = TestDirectory.withTls(Tls.START_TLS, localhostKeys)) {
            Map<String, String> p = tlsProperties(dir.url(), localhostPem);
            p.put("StartTLSEnabled", "true");
            try (LdapUserStore s = TestDirectory.store(p)) {
                assertTrue(s.authenticate("alice", "alice-pw-1".toCharArray()).isOk());
                assertEquals(Outcome.BAD_CREDENTIALS, s.authenticate("alice", "nope".toCharArray()).outcome());
                List<Step> steps = s.test();
                assertTrue(steps.stream().allMatch(Step::ok), steps.toString());
                assertTrue(steps.get(0).name().endsWith("with StartTLS"), steps.get(0).name());
            }
        }
    }

    @Test
    void signsInOverLdapsWithAPkcs12TrustStore() throws Exception {
        Path trust = tmp.resolve("trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(localhostPem)) {
            ks.setCertificateEntry("directory", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(trust)) {
            ks.store(out, "trust-pw".toCharArray());
        }
        try (TestDirectory dir = TestDirectory.withTls(Tls.LDAPS, localhostKeys)) {
            Map<String, String> p = tlsProperties("ldaps://localhost:" + dir.port, trust);
            p.put("TrustStorePassword", "trust-pw");
            try (LdapUserStore s = TestDirectory.store(p)) {
                assertTrue(s.authenticate("bob", "bob-pw-2".toCharArray()).isOk());
                assertEquals(List.of("customers"), s.groupsOf("bob"));
            }
        }
    }

    @Test
    void refusesACertificateForAnotherHost() throws Exception {
        Path wrong = TestDirectory.keyStore(tmp, "ldap.elsewhere.test");
        try (TestDirectory dir = TestDirectory.withTls(Tls.LDAPS, wrong);
                LdapUserStore s = TestDirectory.store(
                        tlsProperties("ldaps://localhost:" + dir.port, TestDirectory.pem(wrong)))) {
            assertEquals(Outcome.UNAVAILABLE, s.authenticate("bob", "bob-pw-2".toCharArray()).outcome());
            List<Step> steps = s.test();
            assertFalse(steps.get(0).ok(), steps.toString());
            assertTrue(steps.get(0).detail().contains("does not name the host localhost"), steps.get(0).detail());
        }
        try (TestDirectory dir = TestDirectory.withTls(Tls.START_TLS, localhostKeys)) {
            // the certificate names localhost, not the address
            Map<String, String> p = tlsProperties("ldap://127.0.0.1:" + dir.port, localhostPem);
            p.put("StartTLSEnabled", "true");
            try (LdapUserStore s = TestDirectory.store(p)) {
                assertEquals(Outcome.UNAVAILABLE, s.authenticate("bob", "bob-pw-2".toCharArray()).outcome());
            }
        }
    }

    @Test
    void refusesAServerTheTrustStoreDoesNotVouchFor() throws Exception {
        try (TestDirectory dir = TestDirectory.withTls(Tls.LDAPS, localhostKeys);
                LdapUserStore s = TestDirectory.store(tlsProperties("ldaps://localhost:" + dir.port, null))) {
            assertEquals(Outcome.UNAVAILABLE, s.authenticate("bob", "bob-pw-2".toCharArray()).outcome());
            assertThrows(IllegalStateException.class, () -> s.findByUsername("bob"));
        }
    }

    @Test
    void reportsAnUnreadableTrustStoreByName() {
        Map<String, String> p = tlsProperties("ldaps://localhost:1", tmp.resolve("missing.p12"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestDirectory.store(p));
        assertTrue(e.getMessage().startsWith("TrustStore: cannot read"), e.getMessage());
    }

    @Test
    void matchesHostNamesAsRfc6125Says() throws Exception {
        Path keys = TestDirectory.keyStore(tmp, "*.example.com", "ldap.bank.test", "127.0.0.1");
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(TestDirectory.pem(keys)));
        assertTrue(HostnameMatcher.matches(cert, "dir1.example.com"));
        assertTrue(HostnameMatcher.matches(cert, "DIR1.Example.COM"));
        assertFalse(HostnameMatcher.matches(cert, "a.dir1.example.com"));
        assertFalse(HostnameMatcher.matches(cert, "example.com"));
        assertTrue(HostnameMatcher.matches(cert, "ldap.bank.test"));
        assertFalse(HostnameMatcher.matches(cert, "other.bank.test"));
        assertTrue(HostnameMatcher.matches(cert, "127.0.0.1"));
        assertFalse(HostnameMatcher.matches(cert, "127.0.0.2"));
        assertFalse(HostnameMatcher.matches(cert, "*.example.com"));
    }
}
