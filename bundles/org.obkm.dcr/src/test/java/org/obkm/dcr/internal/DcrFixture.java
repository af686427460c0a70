package org.obkm.dcr.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A test directory and test TPPs: the directory's own signing key, SSAs for an AISP and a PISP, the TPPs'
 * keys served with the directory's JWKS by a local HTTPS server (port 19480, a certificate of a test CA the
 * fetcher trusts), and transport certificates of that CA. One per test class; {@link #close()} stops it.
 */
final class DcrFixture implements AutoCloseable {

    static final int PORT = 19480;
    static final String DIRECTORY = "OpenBanking Ltd";
    static final String BANK_ORG = "bankorg1";
    static final String BASE = "https://localhost:" + PORT;
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    final KeyPair caKeys = rsa();
    final X509Certificate ca = cert("CN=Test Directory CA,O=OpenBanking,C=GB", caKeys, "CN=Test Directory CA,O=OpenBanking,C=GB",
            caKeys, true, null);
    final Path caFile;
    final ECKey directoryKey = generate(() -> new ECKeyGenerator(Curve.P_256).keyID("dir-1").generate());
    final ECKey otherKey = generate(() -> new ECKeyGenerator(Curve.P_256).keyID("dir-1").generate());
    final RSAKey tppKey = generate(() -> new RSAKeyGenerator(2048).keyID("tpp-1").generate());
    final Map<String, String> served = new ConcurrentHashMap<>();
    private final HttpsServer server;

    DcrFixture() throws Exception {
        Path dir = Files.createTempDirectory("dcr-test");
        caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, pem(ca));
        KeyPair serverKeys = rsa();
        X509Certificate serverCert = cert(ca.getSubjectX500Principal().getName(), caKeys, "CN=localhost", serverKeys,
                false, "localhost");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverKeys.getPrivate(), "x".toCharArray(), new X509Certificate[] {serverCert, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/", ex -> {
            String body = served.get(ex.getRequestURI().getPath());
            byte[] b = (body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(body == null ? 404 : 200, b.length == 0 ? -1 : b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        served.put("/directory/jwks", new JWKSet(directoryKey.toPublicJWK()).toString());
        served.put("/tpp/jwks", new JWKSet(tppKey.toPublicJWK()).toString());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The settings of a bank trusting the test directory (its aud: {@link #BANK_ORG}). */
    Map<String, Object> config() {
        Map<String, Object> m = new HashMap<>();
        m.put("directory.test.issuer", DIRECTORY);
        m.put("directory.test.jwksUri", BASE + "/directory/jwks");
        m.put("directory.test.environments", "sandbox");
        m.put("directory.test.maxSsaAgeSeconds", "600");
        m.put("directory.test.audience", BANK_ORG);
        m.put("allowedJwksHosts", "localhost");
        m.put("jwksTrustedCaFile", caFile.toString());
        m.put("trustedCaFile", caFile.toString());
        m.put("jwksRefreshMinSeconds", "1");
        return m;
    }

    /** SSA claims of software {@code softwareId} of organisation {@code org1} with these roles. */
    JWTClaimsSet.Builder ssa(String softwareId, String... roles) {
        return new JWTClaimsSet.Builder().issuer(DIRECTORY).issueTime(new Date()).jwtID(UUID.randomUUID().toString())
                .claim("software_id", softwareId).claim("software_client_name", "Test TPP " + softwareId)
                .claim("software_environment", "sandbox").claim("software_roles", List.of(roles))
                .claim("software_jwks_endpoint", BASE + "/tpp/jwks")
                .claim("software_redirect_uris", List.of("https://tpp.example/cb", "https://tpp.example/cb2"))
                .claim("org_id", "org1").claim("org_status", "Active").claim("org_name", "Test TPP Ltd");
    }

    String signSsa(JWTClaimsSet claims) {
        return signSsa(claims, directoryKey);
    }

    String signSsa(JWTClaimsSet claims, ECKey key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                    .keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A private_key_jwt request of the software of this SSA for the accounts scope. */
    JWTClaimsSet.Builder request(String softwareId, String ssa) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(softwareId).audience(BANK_ORG).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString())
                .claim("software_id", softwareId).claim("software_statement", ssa)
                .claim("redirect_uris", List.of("https://tpp.example/cb"))
                .claim("token_endpoint_auth_method", "private_key_jwt")
                .claim("token_endpoint_auth_signing_alg", "PS256")
                .claim("grant_types", List.of("authorization_code", "client_credentials", "refresh_token"))
                .claim("response_types", List.of("code id_token")).claim("scope", "openid accounts")
                .claim("application_type", "web").claim("id_token_signed_response_alg", "PS256")
                .claim("request_object_signing_alg", "PS256");
    }

    String sign(JWTClaimsSet claims) {
        return sign(claims, JWSAlgorithm.PS256, tppKey);
    }

    String sign(JWTClaimsSet claims, JWSAlgorithm alg, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A transport certificate of the test CA naming this software and organisation as OB's do. */
    X509Certificate[] transport(String softwareId, String orgId) {
        KeyPair k = rsa();
        return new X509Certificate[] {cert(ca.getSubjectX500Principal().getName(), caKeys,
                "CN=" + softwareId + ",OU=" + orgId + ",O=OpenBanking,C=GB", k, false, null)};
    }

    /** An eIDAS-style certificate with organizationIdentifier. */
    X509Certificate[] eidas(String organizationIdentifier) {
        KeyPair k = rsa();
        return new X509Certificate[] {cert(ca.getSubjectX500Principal().getName(), caKeys,
                "CN=tpp.example,OID.2.5.4.97=" + organizationIdentifier + ",O=Test TPP Ltd,C=GB", k, false, null)};
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate cert(String issuerDn, KeyPair issuerKeys, String subjectDn, KeyPair keys, boolean ca,
            String dnsName) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Principal(issuerDn),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(Duration.ofDays(1))),
                    new X500Principal(subjectDn, Map.of("ORGANIZATIONIDENTIFIER", "2.5.4.97")), keys.getPublic());
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            }
            if (dnsName != null) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    interface Make<T> {
        T make() throws Exception;
    }

    static <T> T generate(Make<T> m) {
        try {
            return m.make();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
