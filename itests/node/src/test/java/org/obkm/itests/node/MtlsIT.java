package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.obkm.itests.support.Https;
import org.obkm.itests.support.TestCertificates;
import org.obkm.itests.support.Tls;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mutual TLS (RFC 8705) over the node's real HTTPS listener: clients registered for
 * {@code tls_client_auth} and {@code self_signed_tls_client_auth} get client_credentials tokens bound
 * to their certificate (cnf x5t#S256); a wrong certificate or none is 401 invalid_client; and a
 * connection without a certificate, as a browser's, is asked for one but still served.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MtlsIT extends NodeTestSupport {

    private static final String CA_FILE = "it-tpp-cas.pem";
    private static final Set<String> CLIENT_CREDENTIALS = Set.of("client_credentials");

    /** The directory's CA that tls_client_auth trusts (written to the node's trustedCaFile). */
    private static TestCertificates.Issued directoryCa;

    @Override
    @Configuration
    public Option[] config() {
        return OptionUtils.combine(super.config(),
                editConfigurationFilePut("etc/org.obkm.mtls.cfg", "trustedCaFile", "${karaf.etc}/" + CA_FILE));
    }

    /** The CA file appears after the node started: it is read when it changes, without a restart. */
    @Before
    public void trustTheDirectoryCa() throws IOException {
        if (directoryCa == null) {
            directoryCa = TestCertificates.ca("CN=IT Directory Issuing CA,O=OBKM IT");
            Files.writeString(Path.of(System.getProperty("karaf.etc"), CA_FILE),
                    X509CertUtils.toPEMString(directoryCa.cert()) + "\n");
        }
    }

    @Test
    public void tlsClientAuthGetsACertificateBoundToken() throws Exception {
        String dn = "CN=tls-client.tpp.example,O=TPP IT,C=GB";
        TestCertificates.Issued tpp = TestCertificates.client(directoryCa, dn);
        CreatedClient c = register(TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, dn);
        Https withCert = client(tpp);

        Https.Response r = post(withCert, TOKEN, Https.form("grant_type", "client_credentials", "client_id", id(c)));
        assertEquals("token response " + r, 200, r.status());
        String accessToken = (String) r.json().get("access_token");
        assertBoundTo(tpp.cert(), accessToken);

        // The certificate authenticates the client at introspection too.
        Https.Response active = post(withCert, INTROSPECT, Https.form("token", accessToken, "client_id", id(c)));
        assertEquals("introspection " + active, 200, active.status());
        assertEquals(Boolean.TRUE, active.json().get("active"));
    }

    @Test
    public void selfSignedTlsClientAuthGetsACertificateBoundToken() throws Exception {
        java.security.KeyPair keys = TestCertificates.ec();
        TestCertificates.Issued cert = TestCertificates.selfSigned("CN=self-signed.tpp.example", keys);
        String jwks = new JWKSet(new ECKey.Builder(Curve.P_256, (ECPublicKey) keys.getPublic()).keyID("tls").build())
                .toString();
        CreatedClient c = register(TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, jwks, null);

        String form = Https.form("grant_type", "client_credentials", "client_id", id(c));
        Https.Response r = post(client(cert), TOKEN, form);
        assertEquals("token response " + r, 200, r.status());
        assertBoundTo(cert.cert(), (String) r.json().get("access_token"));
    }

    @Test
    public void aSecretClientOnAMutualTlsConnectionGetsABoundToken() throws Exception {
        // Its certificate is no second authentication method, but it binds the token (RFC 8705 §3).
        TestCertificates.Issued cert = TestCertificates.selfSigned("CN=secret-client", TestCertificates.ec());
        CreatedClient c = register(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, null);
        Https.Response r = post(client(cert), TOKEN, Https.form("grant_type", "client_credentials", "client_id", id(c)),
                "Authorization", Https.basic(id(c), c.secret()));
        assertEquals("token response " + r, 200, r.status());
        assertBoundTo(cert.cert(), (String) r.json().get("access_token"));
    }

    @Test
    public void wrongCertificatesAreRefused() throws Exception {
        String dn = "CN=wrong-cert.tpp.example,O=TPP IT,C=GB";
        CreatedClient tls = register(TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, dn);
        String form = Https.form("grant_type", "client_credentials", "client_id", id(tls));
        // Another subject from the trusted CA; the right subject from a CA nobody configured.
        TestCertificates.Issued otherSubject = TestCertificates.client(directoryCa, "CN=someone-else,O=TPP IT,C=GB");
        TestCertificates.Issued rogueCa = TestCertificates.ca("CN=IT Directory Issuing CA,O=OBKM IT");
        TestCertificates.Issued rogue = TestCertificates.client(rogueCa, dn);
        assertOAuthError(post(client(otherSubject), TOKEN, form), 401, "invalid_client");
        assertOAuthError(post(client(rogue), TOKEN, form), 401, "invalid_client");

        java.security.KeyPair registered = TestCertificates.ec();
        CreatedClient selfSigned = register(TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH,
                new JWKSet(new ECKey.Builder(Curve.P_256, (ECPublicKey) registered.getPublic()).build()).toString(),
                null);
        TestCertificates.Issued otherKey = TestCertificates.selfSigned("CN=self-signed", TestCertificates.ec());
        assertOAuthError(post(client(otherKey), TOKEN, Https.form("grant_type", "client_credentials", "client_id",
                id(selfSigned))), 401, "invalid_client");
    }

    @Test
    public void noCertificateIsRefused() throws Exception {
        CreatedClient tls = register(TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, "CN=no-cert,O=TPP IT,C=GB");
        CreatedClient selfSigned = register(TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH,
                new JWKSet(new ECKey.Builder(Curve.P_256, (ECPublicKey) TestCertificates.ec().getPublic()).build())
                        .toString(), null);
        Https noCert = client(null);
        for (CreatedClient c : List.of(tls, selfSigned)) {
            assertOAuthError(post(noCert, TOKEN, Https.form("grant_type", "client_credentials", "client_id", id(c))),
                    401, "invalid_client");
        }
    }

    /** A browser without a certificate: asked for one (the listener wants it), still served. */
    @Test
    public void aConnectionWithoutCertificateIsAskedForOneAndStillServed() throws Exception {
        AtomicBoolean asked = new AtomicBoolean();
        SSLContext tls = Tls.context(new KeyManager[] {new NoCertificate(asked)}, nodeTrust().getTrustManagers());
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", httpsPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            assertTrue("the server asked for a client certificate", asked.get());
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response, response.startsWith("HTTP/1.1 200"));
        }
        assertEquals(200, https().get("/health").status());
    }

    private CreatedClient register(TokenEndpointAuthMethod method, String jwks, String subjectDn) {
        return clients.create(new ClientRegistration("it-" + method.value(), CLIENT_CREDENTIALS, Set.of("accounts"),
                method, jwks, null, List.of(), subjectDn).withProfile("none"));
    }

    private static String id(CreatedClient c) {
        return c.client().clientId();
    }

    private static void assertBoundTo(X509Certificate cert, String accessToken) throws Exception {
        assertNotNull("access token", accessToken);
        Map<String, Object> cnf = SignedJWT.parse(accessToken).getJWTClaimsSet().getJSONObjectClaim("cnf");
        assertNotNull("the access token has no cnf claim", cnf);
        assertEquals(X509CertUtils.computeSHA256Thumbprint(cert).toString(), cnf.get("x5t#S256"));
    }

    /** The node's own certificate as the only trust anchor, as {@link Https} does. */
    private static TrustManagerFactory nodeTrust() throws IOException, GeneralSecurityException {
        return Tls.trustOnly(Tls.nodeCertificate(Path.of(System.getProperty("karaf.etc"), "obkm-tls.p12")));
    }

    /** An HTTPS client presenting {@code cert} (none: null), verifying the node's certificate and host name. */
    private static Https client(TestCertificates.Issued cert) throws IOException, GeneralSecurityException {
        return Https.using(Tls.context(cert == null ? null : cert.keyManagers(), nodeTrust().getTrustManagers()),
                httpsPort(), httpPort());
    }

    private static Https.Response post(Https client, String path, String form, String... headers) {
        return client.postForm(path, form, headers);
    }

    /** Records that the server asked for a client certificate, and offers none. */
    private static final class NoCertificate extends X509ExtendedKeyManager {

        private final AtomicBoolean asked;

        NoCertificate(AtomicBoolean asked) {
            this.asked = asked;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            asked.set(true);
            return null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            asked.set(true);
            return null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return null;
        }
    }
}
