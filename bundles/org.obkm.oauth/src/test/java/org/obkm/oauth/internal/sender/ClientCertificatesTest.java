package org.obkm.oauth.internal.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.obkm.api.net.AddressBlocks;
import org.obkm.oauth.internal.TestMtlsConfig;
import org.obkm.oauth.internal.TestPki;

import com.nimbusds.jose.util.X509CertUtils;

/**
 * Where a request's client certificate comes from: the TLS connection, or a header believed from the
 * configured load balancers only; the tls_client_auth trust anchors; the x5t#S256 thumbprint.
 */
public class ClientCertificatesTest {

    private static final String HEADER = "x-wso2-mutual-auth-cert";
    private static final TestPki.Issued CA = TestPki.rootCa("CN=Test CA,O=Bank");
    private static final X509Certificate TPP = TestPki.client(CA, "CN=tpp.example,O=TPP Ltd").cert();
    private static final X509Certificate OTHER = TestPki.client(CA, "CN=other.example,O=Other Ltd").cert();

    @TempDir
    Path dir;

    private static ClientCertificates behindProxy(String... proxies) {
        TestMtlsConfig c = new TestMtlsConfig();
        c.certificateHeaderEnabled = true;
        c.trustedProxies = proxies;
        return new ClientCertificates(c);
    }

    /** A request from {@code peer}, with headers (name, value pairs; a name may repeat) and a TLS chain. */
    private static HttpServletRequest request(String peer, X509Certificate[] tlsChain, String... headers) {
        Map<String, List<String>> byName = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            byName.computeIfAbsent(headers[i].toLowerCase(), k -> new java.util.ArrayList<>()).add(headers[i + 1]);
        }
        return (HttpServletRequest) Proxy.newProxyInstance(ClientCertificatesTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> peer;
                    case "getAttribute" -> ClientCertificates.TLS_ATTRIBUTE.equals(args[0]) ? tlsChain : null;
                    case "getHeader" -> Optional.ofNullable(byName.get(((String) args[0]).toLowerCase()))
                            .map(v -> v.get(0)).orElse(null);
                    case "getHeaders" -> Collections.enumeration(
                            byName.getOrDefault(((String) args[0]).toLowerCase(), List.of()));
                    default -> null;
                });
    }

    private static String urlEncodedPem(X509Certificate cert) {
        return URLEncoder.encode(X509CertUtils.toPEMString(cert), StandardCharsets.UTF_8);
    }

    @Test
    public void takesTheChainOfTheTlsConnection() {
        ClientCertificates certs = new ClientCertificates(new TestMtlsConfig());
        assertEquals(List.of(TPP, CA.cert()),
                certs.chain(request("192.0.2.7", new X509Certificate[] {TPP, CA.cert()})));
        assertEquals(List.of(), certs.chain(request("192.0.2.7", null)));
        assertEquals(List.of(), certs.chain(request(null, new X509Certificate[0])));
    }

    @Test
    public void acceptsTheHeaderFromATrustedProxy() {
        ClientCertificates certs = behindProxy("10.0.0.5", "192.168.0.0/16");
        assertEquals(List.of(TPP), certs.chain(request("10.0.0.5", null, HEADER, urlEncodedPem(TPP))));
        assertEquals(List.of(TPP),
                certs.chain(request("192.168.40.2", null, "X-WSO2-Mutual-Auth-Cert", urlEncodedPem(TPP))));
    }

    @Test
    public void acceptsBase64DerAndPlainPemFromATrustedProxy() throws Exception {
        ClientCertificates certs = behindProxy("fd00::/8");
        String der = Base64.getEncoder().encodeToString(TPP.getEncoded());
        String derUrlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(TPP.getEncoded());
        String pemOneLine = X509CertUtils.toPEMString(TPP, false);
        // As a balancer may send it: spaces and line breaks escaped, the '+' of the base64 text not.
        String plusUnescaped = urlEncodedPem(TPP).replace("+", "%20").replace("%2B", "+");
        for (String value : List.of(der, derUrlSafe, pemOneLine, plusUnescaped)) {
            assertEquals(List.of(TPP), certs.chain(request("[fd00::1:2]", null, HEADER, value)), value);
        }
    }

    @Test
    public void ignoresTheHeaderFromAnyOtherAddress() {
        ClientCertificates certs = behindProxy("10.0.0.5", "192.168.0.0/16");
        // The caller's own TLS certificate still counts; the certificate it names in the header never does.
        assertEquals(List.of(OTHER), certs.chain(request("10.0.0.6", new X509Certificate[] {OTHER}, HEADER,
                urlEncodedPem(TPP))));
        assertEquals(List.of(), certs.chain(request("192.169.0.1", null, HEADER, urlEncodedPem(TPP))));
        assertEquals(List.of(), certs.chain(request("::ffff:10.0.0.6", null, HEADER, urlEncodedPem(TPP))));
        assertEquals(List.of(), certs.chain(request(null, null, HEADER, urlEncodedPem(TPP))));
    }

    @Test
    public void ignoresTheHeaderWhenNotEnabled() {
        TestMtlsConfig c = new TestMtlsConfig();
        c.trustedProxies = new String[] {"10.0.0.5"};
        ClientCertificates certs = new ClientCertificates(c);
        assertEquals(List.of(), certs.chain(request("10.0.0.5", null, HEADER, urlEncodedPem(TPP))));
    }

    @Test
    public void fromATrustedProxyOnlyTheHeaderCounts() {
        // The proxy's connection certificate is the proxy's own, never the client's.
        ClientCertificates certs = behindProxy("10.0.0.5");
        assertEquals(List.of(), certs.chain(request("10.0.0.5", new X509Certificate[] {OTHER})));
        assertEquals(List.of(TPP), certs.chain(request("10.0.0.5", new X509Certificate[] {OTHER}, HEADER,
                urlEncodedPem(TPP))));
    }

    @Test
    public void malformedOrRepeatedHeaderGivesNoCertificate() {
        ClientCertificates certs = behindProxy("10.0.0.5");
        for (String value : List.of("", "not a certificate", "%zz%", "%E2%82%AC%ZZ",
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
                Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)))) {
            assertEquals(List.of(), certs.chain(request("10.0.0.5", null, HEADER, value)), value);
        }
        assertEquals(List.of(), certs.chain(request("10.0.0.5", null, HEADER, urlEncodedPem(TPP), HEADER,
                urlEncodedPem(OTHER))));
    }

    @Test
    public void aBadProxyEntryTrustsNobody() {
        // Host names are refused (no DNS decides whom to believe), and so is the whole list.
        for (String[] proxies : List.of(new String[] {"10.0.0.5", "lb.bank.example"}, new String[] {"10.0.0.0/33"},
                new String[] {"999.1.1.1"})) {
            assertEquals(List.of(), behindProxy(proxies).chain(request("10.0.0.5", null, HEADER, urlEncodedPem(TPP))));
        }
        assertThrows(IllegalArgumentException.class, () -> AddressBlocks.parse("localhost"));
    }

    @Test
    public void addressBlocksMatchIpv4AndIpv6Prefixes() {
        AddressBlocks blocks = AddressBlocks.parse("10.1.2.0/23, 2001:db8::/32", "127.0.0.1");
        assertTrue(blocks.contains("10.1.3.255"));
        assertFalse(blocks.contains("10.1.4.0"));
        assertTrue(blocks.contains("[2001:db8:ffff::1]"));
        assertTrue(blocks.contains("2001:db8::1%eth0"));
        assertFalse(blocks.contains("2001:db9::1"));
        assertTrue(blocks.contains("127.0.0.1"));
        assertFalse(blocks.contains("127.0.0.2"));
        assertFalse(blocks.contains("example.org"));
        assertFalse(blocks.contains(""));
        assertTrue(AddressBlocks.parse("0.0.0.0/0").contains("203.0.113.9"));
    }

    @Test
    public void thumbprintIsBase64UrlSha256OfTheDer() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(TPP.getEncoded());
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(digest),
                ClientCertificates.thumbprint(TPP));
    }

    @Test
    public void trustAnchorsComeFromThePemFileAndFollowItsChanges() throws Exception {
        Path file = dir.resolve("tpp-cas.pem");
        TestPki.Issued second = TestPki.rootCa("CN=Second CA");
        Files.writeString(file, X509CertUtils.toPEMString(CA.cert()));
        TestMtlsConfig c = new TestMtlsConfig();
        c.trustedCaFile = file.toString();
        ClientCertificates certs = new ClientCertificates(c);
        assertEquals(1, certs.trustAnchors().size());

        // A bundle as tools write it: a text line before each certificate.
        Files.writeString(file, "subject=CN=Test CA,O=Bank\n" + X509CertUtils.toPEMString(CA.cert())
                + "\n# the second CA\n" + X509CertUtils.toPEMString(second.cert()) + "\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(2, certs.trustAnchors().size());

        Files.delete(file);
        assertEquals(0, certs.trustAnchors().size());
        assertEquals(0, new ClientCertificates(new TestMtlsConfig()).trustAnchors().size());
    }

    @Test
    public void mtlsBaseUrlMustBeHttps() {
        TestMtlsConfig c = new TestMtlsConfig();
        assertEquals(Optional.empty(), new ClientCertificates(c).mtlsBaseUrl());
        c.mtlsBaseUrl = "https://mtls.bank.example/";
        assertEquals(Optional.of("https://mtls.bank.example"), new ClientCertificates(c).mtlsBaseUrl());
        c.mtlsBaseUrl = "http://mtls.bank.example";
        assertEquals(Optional.empty(), new ClientCertificates(c).mtlsBaseUrl());
    }
}
