package org.obkm.oauth.internal.clientauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.oauth.internal.CpuGate;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.TestClients;
import org.obkm.oauth.internal.TestMtlsConfig;
import org.obkm.oauth.internal.TestPki;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.policy.ClientProfiles;
import org.obkm.oauth.internal.sender.ClientCertificates;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * RFC 8705 §2 client authentication with real certificates: tls_client_auth (registered subject DN and
 * a chain to a configured CA) and self_signed_tls_client_auth (the certificate's key among the client's
 * registered keys); a certificate never authenticates a client registered for another method.
 */
public class MutualTlsClientAuthenticationTest {

    private static final String TOKEN_URL = "https://as.bank.example/oauth2/token";
    private static final String DN = "CN=tpp.example,O=TPP Ltd,C=GB";
    private static final TestPki.Issued ROOT = TestPki.rootCa("CN=OB Root CA,O=Directory");
    private static final TestPki.Issued ISSUING = TestPki.intermediateCa(ROOT, "CN=OB Issuing CA,O=Directory");
    private static final TestPki.Issued TPP = TestPki.client(ISSUING, DN);

    @TempDir
    Path dir;

    private final Map<String, Client> registered = new HashMap<>();
    private final ClientService clients = new TestClients(registered);

    private Client register(String id, TokenEndpointAuthMethod method, String jwks, String subjectDn) {
        Client c = new Client(id, id, Set.of("client_credentials"), Set.of("accounts"), method,
                method.usesSecret() ? "hash" : null, jwks, null, List.of(), subjectDn, Instant.now());
        registered.put(id, c);
        return c;
    }

    /** An authenticator trusting the CA certificates written to a PEM file (none: no trustedCaFile). */
    private ClientAuthenticator authenticator(X509Certificate... trusted) throws Exception {
        TestMtlsConfig config = new TestMtlsConfig();
        if (trusted.length > 0) {
            StringBuilder pem = new StringBuilder();
            for (X509Certificate c : trusted) {
                pem.append(X509CertUtils.toPEMString(c)).append('\n');
            }
            Path file = dir.resolve("trusted-cas.pem");
            Files.writeString(file, pem);
            config.trustedCaFile = file.toString();
        }
        return new ClientAuthenticator(clients, TestSettings.defaults(), new InMemorySharedState(),
                new ClientCertificates(config), TestSettings.profiles(ClientProfiles.NONE), CpuGate.ungated());
    }

    private static HTTPRequest tokenRequest(String body, List<X509Certificate> chain) throws ParseException {
        HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create(TOKEN_URL));
        r.setContentType("application/x-www-form-urlencoded");
        r.setBody(body);
        if (!chain.isEmpty()) {
            r.setClientX509Certificate(chain.get(0));
        }
        return r;
    }

    private static Client authenticate(ClientAuthenticator a, String clientId, X509Certificate... chain)
            throws OAuthException, ParseException {
        return a.authenticate(tokenRequest("grant_type=client_credentials&client_id=" + clientId, List.of(chain)),
                List.of(chain), TOKEN_URL);
    }

    private static void refused(ClientAuthenticator a, String clientId, String why, X509Certificate... chain) {
        OAuthException e = assertThrows(OAuthException.class, () -> authenticate(a, clientId, chain));
        assertEquals("invalid_client", e.error().getCode());
        assertEquals(401, e.error().getHTTPStatusCode());
        assertTrue(e.error().getDescription().contains(why), e.error().getDescription());
    }

    @Test
    public void tlsClientAuthAcceptsTheRegisteredSubjectFromATrustedCa() throws Exception {
        register("tpp1", TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, DN);
        // The presented intermediate completes the path to the configured root.
        assertEquals("tpp1", authenticate(authenticator(ROOT.cert()), "tpp1", TPP.cert(), ISSUING.cert()).clientId());
        // Or the issuing CA itself is configured, and the client sends its certificate alone.
        assertEquals("tpp1", authenticate(authenticator(ISSUING.cert()), "tpp1", TPP.cert()).clientId());
    }

    @Test
    public void aDisabledClientIsRefused() throws Exception {
        Client c = register("tpp1", TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, DN);
        registered.put("tpp1", c.withSoftware(c.software().withDisabled(true)));
        refused(authenticator(ROOT.cert()), "tpp1", "disabled", TPP.cert(), ISSUING.cert());
    }

    @Test
    public void tlsClientAuthComparesSubjectsAsDistinguishedNames() throws Exception {
        register("tpp1", TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, "cn=TPP.example, o=tpp ltd, c=gb");
        assertEquals("tpp1", authenticate(authenticator(ROOT.cert()), "tpp1", TPP.cert(), ISSUING.cert()).clientId());
    }

    @Test
    public void tlsClientAuthRefusesAnotherSubject() throws Exception {
        register("tpp1", TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, DN);
        TestPki.Issued other = TestPki.client(ISSUING, "CN=tpp.example,O=TPP Ltd,C=FR");
        refused(authenticator(ROOT.cert()), "tpp1", "subject", other.cert(), ISSUING.cert());
    }

    @Test
    public void tlsClientAuthRefusesTheRightSubjectFromAnotherCa() throws Exception {
        register("tpp1", TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, DN);
        TestPki.Issued rogueCa = TestPki.rootCa("CN=OB Issuing CA,O=Directory");
        TestPki.Issued forged = TestPki.client(rogueCa, DN);
        refused(authenticator(ROOT.cert()), "tpp1", "does not chain", forged.cert(), rogueCa.cert());
        // Without the intermediate the path cannot be built either.
        refused(authenticator(ROOT.cert()), "tpp1", "does not chain", TPP.cert());
    }

    @Test
    public void tlsClientAuthRefusesAnExpiredCertificate() throws Exception {
        register("tpp1", TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, DN);
        TestPki.Issued expired = TestPki.client(ISSUING, DN, Instant.now().minus(Duration.ofDays(3)),
                Duration.ofDays(1), KeyPurposeId.id_kp_clientAuth);
        refused(authenticator(ROOT.cert()), "tpp1", "not valid now", expired.cert(), ISSUING.cert());
    }

    @Test
    public void tlsClientAuthRefusesAServerOnlyCertificate() throws Exception {
        register("tpp1", TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, DN);
        TestPki.Issued server = TestPki.client(ISSUING, DN, Instant.now().minusSeconds(60), Duration.ofDays(1),
                KeyPurposeId.id_kp_serverAuth);
        refused(authenticator(ROOT.cert()), "tpp1", "extended key usage", server.cert(), ISSUING.cert());
    }

    @Test
    public void tlsClientAuthIsRefusedWithoutConfiguredCas() throws Exception {
        register("tpp1", TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, DN);
        refused(authenticator(), "tpp1", "trusts no CA", TPP.cert(), ISSUING.cert());
    }

    @Test
    public void certificateMethodsNeedACertificate() throws Exception {
        register("tpp1", TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, DN);
        register("tpp2", TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, jwks(TestPki.ec()), null);
        ClientAuthenticator a = authenticator(ROOT.cert());
        refused(a, "tpp1", "client authentication is required");
        refused(a, "tpp2", "client authentication is required");
    }

    @Test
    public void selfSignedTlsClientAuthAcceptsARegisteredKey() throws Exception {
        KeyPair ec = TestPki.ec();
        KeyPair rsa = TestPki.rsa();
        register("tpp2", TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, jwks(TestPki.rsa(), ec), null);
        register("tpp3", TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, jwks(rsa), null);
        ClientAuthenticator a = authenticator();
        assertEquals("tpp2", authenticate(a, "tpp2", TestPki.selfSigned("CN=tpp2", ec).cert()).clientId());
        assertEquals("tpp3", authenticate(a, "tpp3", TestPki.selfSigned("CN=anything", rsa).cert()).clientId());
    }

    @Test
    public void selfSignedTlsClientAuthRefusesAnUnregisteredKey() throws Exception {
        register("tpp2", TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, jwks(TestPki.ec()), null);
        refused(authenticator(), "tpp2", "not one of the client's registered keys",
                TestPki.selfSigned("CN=tpp2", TestPki.ec()).cert());
        // A CA-issued certificate with the right subject does not help either: only the key counts.
        refused(authenticator(ROOT.cert()), "tpp2", "not one of the client's registered keys", TPP.cert());
    }

    @Test
    public void selfSignedTlsClientAuthRefusesAnExpiredCertificate() throws Exception {
        KeyPair ec = TestPki.ec();
        register("tpp2", TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, jwks(ec), null);
        X509Certificate expired = TestPki.selfSigned("CN=tpp2", ec, Instant.now().minus(Duration.ofDays(3)),
                Duration.ofDays(1)).cert();
        refused(authenticator(), "tpp2", "expired", expired);
    }

    @Test
    public void aCertificateDoesNotAuthenticateOtherClients() throws Exception {
        KeyPair ec = TestPki.ec();
        register("basic", TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, null);
        register("jwt", TokenEndpointAuthMethod.PRIVATE_KEY_JWT, jwks(ec), null);
        ClientAuthenticator a = authenticator(ROOT.cert());
        refused(a, "basic", "registered for client_secret_basic", TPP.cert(), ISSUING.cert());
        refused(a, "jwt", "registered for private_key_jwt", TestPki.selfSigned("CN=jwt", ec).cert());
    }

    @Test
    public void certificateClientsCannotUseASecret() throws Exception {
        register("tpp1", TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, DN);
        OAuthException e = assertThrows(OAuthException.class, () -> authenticator(ROOT.cert()).authenticate(
                tokenRequest("grant_type=client_credentials&client_id=tpp1&client_secret=s3cret",
                        List.of(TPP.cert(), ISSUING.cert())), List.of(TPP.cert(), ISSUING.cert()), TOKEN_URL));
        assertEquals("invalid_client", e.error().getCode());
    }

    @Test
    public void aSecretClientOnAMutualTlsConnectionStillAuthenticates() throws Exception {
        // Its certificate binds its tokens (RFC 8705 §3) but is no second authentication method.
        register("basic", TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, null);
        register("post", TokenEndpointAuthMethod.CLIENT_SECRET_POST, null, null);
        ClientAuthenticator a = authenticator(ROOT.cert());
        List<X509Certificate> chain = List.of(TPP.cert(), ISSUING.cert());
        HTTPRequest basic = tokenRequest("grant_type=client_credentials&client_id=basic", chain);
        basic.setAuthorization("Basic YmFzaWM6czNjcmV0");
        assertEquals("basic", a.authenticate(basic, chain, TOKEN_URL).clientId());
        HTTPRequest post = tokenRequest("grant_type=client_credentials&client_id=post&client_secret=s3cret", chain);
        assertEquals("post", a.authenticate(post, chain, TOKEN_URL).clientId());
    }

    private static String jwks(KeyPair... keys) {
        return new JWKSet(java.util.Arrays.stream(keys).map(k -> k.getPublic() instanceof RSAPublicKey rsa
                ? (com.nimbusds.jose.jwk.JWK) new RSAKey.Builder(rsa).keyID("rsa-" + rsa.hashCode()).build()
                : new ECKey.Builder(Curve.P_256, (ECPublicKey) k.getPublic()).keyID("ec").build()).toList()).toString();
    }
}
