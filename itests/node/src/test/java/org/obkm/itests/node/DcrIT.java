package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.obkm.itests.support.Https;
import org.obkm.itests.support.JwksServer;
import org.obkm.itests.support.TestCertificates;
import org.obkm.itests.support.Tls;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

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
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Dynamic client registration on a running node (issue 13): a TPP with a transport certificate of a test
 * directory CA the node trusts registers by {@code POST /register} with a request it signs and an SSA the
 * test directory signs; the node fetches both JWK Sets over verified HTTPS from a local server (port
 * 19481). The registered client gets a certificate-bound client_credentials token, reads and changes its
 * registration with it, deletes itself, and is refused afterwards (OBIE DCR-001..-011).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DcrIT extends NodeTestSupport {

    private static final int JWKS_PORT = 19481;
    private static final String CA_FILE = "it-dcr-cas.pem";
    private static final String DIRECTORY = "OBKM IT Directory";
    private static final String BANK = "itbank1";
    private static final String JWKS_BASE = "https://localhost:" + JWKS_PORT;

    private static TestCertificates.Issued ca;
    private static JwksServer server;
    private static ECKey directoryKey;
    private static RSAKey tppKey;

    @Override
    @Configuration
    public Option[] config() {
        return OptionUtils.combine(super.config(),
                editConfigurationFilePut("etc/org.obkm.mtls.cfg", "trustedCaFile", "${karaf.etc}/" + CA_FILE),
                editConfigurationFilePut("etc/org.obkm.dcr.cfg", "directory.it.issuer", DIRECTORY),
                editConfigurationFilePut("etc/org.obkm.dcr.cfg", "directory.it.jwksUri", JWKS_BASE + "/directory.jwks"),
                editConfigurationFilePut("etc/org.obkm.dcr.cfg", "directory.it.audience", BANK),
                editConfigurationFilePut("etc/org.obkm.dcr.cfg", "directory.it.environments", "sandbox"),
                editConfigurationFilePut("etc/org.obkm.dcr.cfg", "allowedJwksHosts", "localhost"),
                editConfigurationFilePut("etc/org.obkm.dcr.cfg", "jwksTrustedCaFile", "${karaf.etc}/" + CA_FILE));
    }

    /** The directory CA (transport certificates and the JWKS server), its key, a TPP key, served locally. */
    @Before
    public void directory() throws Exception {
        if (server != null) {
            return;
        }
        ca = TestCertificates.ca("CN=IT DCR Directory CA,O=OBKM IT");
        Files.writeString(Path.of(System.getProperty("karaf.etc"), CA_FILE), X509CertUtils.toPEMString(ca.cert()) + "\n");
        directoryKey = new ECKeyGenerator(Curve.P_256).keyID("it-dir-1").generate();
        tppKey = new RSAKeyGenerator(2048).keyID("it-tpp-1").generate();
        server = new JwksServer(JWKS_PORT, TestCertificates.server(ca, "localhost"), ca);
        server.put("/directory.jwks", new JWKSet(directoryKey.toPublicJWK()).toString());
        server.put("/tpp.jwks", new JWKSet(tppKey.toPublicJWK()).toString());
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String ssa(String softwareId, String orgStatus) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(directoryKey.getKeyID()).build(), new JWTClaimsSet.Builder().issuer(DIRECTORY)
                .issueTime(new Date()).jwtID(UUID.randomUUID().toString()).claim("software_id", softwareId)
                .claim("software_client_name", "IT TPP").claim("software_environment", "sandbox")
                .claim("software_roles", List.of("AISP", "PISP")).claim("software_jwks_endpoint", JWKS_BASE + "/tpp.jwks")
                .claim("software_redirect_uris", List.of("https://tpp.example/cb", "https://tpp.example/cb2"))
                .claim("org_id", "itorg1").claim("org_status", orgStatus).build());
        jwt.sign(new ECDSASigner(directoryKey));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder request(String softwareId, String dn) throws Exception {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(softwareId).audience(BANK).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString())
                .claim("software_id", softwareId).claim("software_statement", ssa(softwareId, "Active"))
                .claim("redirect_uris", List.of("https://tpp.example/cb"))
                .claim("token_endpoint_auth_method", "tls_client_auth").claim("tls_client_auth_subject_dn", dn)
                .claim("grant_types", List.of("client_credentials", "authorization_code", "refresh_token"))
                .claim("response_types", List.of("code")).claim("scope", "openid accounts payments")
                .claim("application_type", "web").claim("id_token_signed_response_alg", "PS256")
                .claim("request_object_signing_alg", "PS256");
    }

    private static String sign(JWTClaimsSet claims, JWSAlgorithm alg) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(tppKey.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(tppKey));
        return jwt.serialize();
    }

    /** An HTTPS client presenting the TPP's transport certificate and trusting the node. */
    private static Https tpp(TestCertificates.Issued cert) throws Exception {
        return Https.using(Tls.context(cert.keyManagers(),
                Tls.trustOnly(Tls.nodeCertificate(Path.of(System.getProperty("karaf.etc"), "obkm-tls.p12")))
                        .getTrustManagers()), httpsPort(), httpPort());
    }

    private static Https.Response send(Https client, String method, String path, String jose, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(client.uri(path)).method(method,
                jose == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jose));
        if (jose != null) {
            b.header("Content-Type", "application/jose");
        }
        b.header("Accept", "application/json");
        return client.exchange(b, headers);
    }

    @Test
    public void discoveryAdvertisesTheRegistrationEndpoint() {
        assertEquals("https://localhost:" + httpsPort() + "/register",
                https().get("/.well-known/openid-configuration").json().get("registration_endpoint"));
    }

    @Test
    public void registerGetATokenReadUpdateDeleteThenRefused() throws Exception {
        String softwareId = "itSoftware1";
        String dn = "CN=" + softwareId + ",OU=itorg1,O=OpenBanking,C=GB";
        TestCertificates.Issued cert = TestCertificates.client(ca, dn);
        Https tpp = tpp(cert);

        Https.Response created = send(tpp, "POST", "/register", sign(request(softwareId, dn).build(), JWSAlgorithm.PS256));
        assertEquals("registration " + created, 201, created.status());
        Map<String, Object> reg = created.json();
        String clientId = (String) reg.get("client_id");
        assertNotNull(reg.get("client_id_issued_at"));
        assertEquals("https://localhost:" + httpsPort() + "/register/" + clientId, reg.get("registration_client_uri"));
        assertEquals(dn, reg.get("tls_client_auth_subject_dn"));
        assertEquals(JWKS_BASE + "/tpp.jwks", reg.get("jwks_uri"));
        String registrationToken = (String) reg.get("registration_access_token");
        assertNotNull(registrationToken);

        Https.Response token = tpp.postForm(TOKEN, Https.form("grant_type", "client_credentials", "client_id", clientId,
                "scope", "accounts"));
        assertEquals("token " + token, 200, token.status());
        String accessToken = (String) token.json().get("access_token");

        org.obkm.api.client.CreatedClient gateway = createClient(
                org.obkm.api.client.TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, "accounts");
        assertEquals(Boolean.TRUE, introspect(gateway, accessToken).get("active"));

        Https.Response read = send(tpp, "GET", "/register/" + clientId, null, "Authorization", "Bearer " + accessToken);
        assertEquals("GET " + read, 200, read.status());
        assertEquals(softwareId, read.json().get("software_id"));
        assertFalse(read.json().containsKey("registration_access_token"));

        Https.Response updated = send(tpp, "PUT", "/register/" + clientId, sign(request(softwareId, dn)
                .claim("redirect_uris", List.of("https://tpp.example/cb2")).build(), JWSAlgorithm.PS256),
                "Authorization", "Bearer " + accessToken);
        assertEquals("PUT " + updated, 200, updated.status());
        assertEquals(List.of("https://tpp.example/cb2"), updated.json().get("redirect_uris"));

        Https.Response deleted = send(tpp, "DELETE", "/register/" + clientId, null,
                "Authorization", "Bearer " + registrationToken);
        assertEquals("DELETE " + deleted, 204, deleted.status());
        assertOAuthError(send(tpp, "GET", "/register/" + clientId, null, "Authorization", "Bearer " + accessToken),
                401, "invalid_token");
        assertOAuthError(send(tpp, "PUT", "/register/" + clientId, sign(request(softwareId, dn).build(),
                JWSAlgorithm.PS256), "Authorization", "Bearer " + registrationToken), 401, "invalid_token");
        assertOAuthError(tpp.postForm(TOKEN, Https.form("grant_type", "client_credentials", "client_id", clientId)),
                401, "invalid_client");
        assertEquals("the deleted client's token is inactive", Boolean.FALSE, introspect(gateway, accessToken).get("active"));
    }

    /** RFC 7662 introspection by a resource server's client of the shell. */
    private static Map<String, Object> introspect(org.obkm.api.client.CreatedClient by, String token) {
        Https.Response r = https().postForm(INTROSPECT, Https.form("token", token),
                "Authorization", Https.basic(by.client().clientId(), by.secret()));
        assertEquals("introspection " + r, 200, r.status());
        return r.json();
    }

    @Test
    public void invalidRegistrationsAre400WithTheirCode() throws Exception {
        String softwareId = "itSoftware2";
        String dn = "CN=" + softwareId + ",OU=itorg1,O=OpenBanking,C=GB";
        Https tpp = tpp(TestCertificates.client(ca, dn));
        assertOAuthError(send(tpp, "POST", "/register", sign(request(softwareId, dn).build(), JWSAlgorithm.RS256)),
                400, "invalid_client_metadata");
        assertOAuthError(send(tpp, "POST", "/register", sign(request(softwareId, dn)
                .expirationTime(Date.from(Instant.now().minusSeconds(300))).build(), JWSAlgorithm.PS256)),
                400, "invalid_client_metadata");
        assertOAuthError(send(tpp, "POST", "/register", sign(request(softwareId, dn).issuer("foo.is/invalid").build(),
                JWSAlgorithm.PS256)), 400, "invalid_client_metadata");
        assertOAuthError(send(tpp, "POST", "/register", sign(request(softwareId, dn)
                .claim("response_types", List.of("id_token token")).build(), JWSAlgorithm.PS256)),
                400, "invalid_client_metadata");
        assertOAuthError(send(tpp, "POST", "/register", sign(request(softwareId, dn)
                .claim("software_statement", ssa(softwareId, "Revoked")).build(), JWSAlgorithm.PS256)),
                400, "invalid_software_statement");
        assertOAuthError(send(tpp, "POST", "/register", sign(request(softwareId, dn)
                .claim("redirect_uris", List.of("https://evil.example/cb")).build(), JWSAlgorithm.PS256)),
                400, "invalid_redirect_uri");
        // Another software's certificate: the transport is not bound to the SSA.
        Https other = tpp(TestCertificates.client(ca, "CN=someoneElse,OU=itorg1,O=OpenBanking,C=GB"));
        Https.Response r = send(other, "POST", "/register", sign(request(softwareId, dn).build(), JWSAlgorithm.PS256));
        assertOAuthError(r, 400, "invalid_client_metadata");
        assertTrue(r.toString(), r.string("error_description").contains("transport certificate"));
    }
}
