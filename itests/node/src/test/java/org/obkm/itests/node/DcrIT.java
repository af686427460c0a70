package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;
import javax.net.ssl.SSLSocket;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.obkm.itests.support.Browser;
import org.obkm.itests.support.Html;
import org.obkm.itests.support.Https;
import org.obkm.itests.support.TestCertificates;
import org.obkm.itests.support.TestDirectory;
import org.obkm.itests.support.Tls;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

/**
 * Dynamic client registration on a running node (issue 13): a TPP with a transport certificate of a test
 * directory CA the node trusts registers by {@code POST /register} with a request it signs and an SSA the
 * test directory signs; the node fetches both JWK Sets over verified HTTPS from a local server (port
 * 19481). The registered client gets a certificate-bound client_credentials token, reads and changes its
 * registration with it, deletes itself, and is refused afterwards (OBIE DCR-001..-011). A registered TPP
 * also runs the whole FAPI 2.0 flow (PAR, sign-in, consent, code, token) before it deletes itself. Behind a
 * load balancer that terminates TLS (here: connections from 127.0.0.2), /register takes the certificate
 * from the balancer's header, as the token endpoint does, and from nobody else.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DcrIT extends NodeTestSupport {

    private static final int JWKS_PORT = 19481;
    private static final String CA_FILE = "it-dcr-cas.pem";
    private static final String BANK = "itbank1";

    /** The load balancer's address: loopback too, so the test can open connections from it. */
    private static final String BALANCER = "127.0.0.2";
    private static final String CERT_HEADER = "x-wso2-mutual-auth-cert";
    private static final String PASSWORD = "DcrHorse7Battery";

    @Inject
    @Filter(timeout = 90_000)
    protected SessionFactory sessionFactory;

    private static TestDirectory directory;

    @Override
    @Configuration
    public Option[] config() {
        return OptionUtils.combine(super.config(),
                editConfigurationFilePut("etc/org.obkm.mtls.cfg", "trustedCaFile", "${karaf.etc}/" + CA_FILE),
                editConfigurationFilePut("etc/org.obkm.mtls.cfg", "certificateHeaderEnabled", "true"),
                editConfigurationFilePut("etc/org.obkm.mtls.cfg", "trustedProxies", BALANCER),
                editConfigurationFilePut("etc/org.obkm.dcr.cfg", "directory.it.issuer", TestDirectory.ISSUER),
                editConfigurationFilePut("etc/org.obkm.dcr.cfg", "directory.it.jwksUri",
                        "https://localhost:" + JWKS_PORT + "/directory.jwks"),
                editConfigurationFilePut("etc/org.obkm.dcr.cfg", "directory.it.audience", BANK),
                editConfigurationFilePut("etc/org.obkm.dcr.cfg", "directory.it.environments", "sandbox"),
                editConfigurationFilePut("etc/org.obkm.dcr.cfg", "allowedJwksHosts", "localhost"),
                editConfigurationFilePut("etc/org.obkm.dcr.cfg", "jwksTrustedCaFile", "${karaf.etc}/" + CA_FILE));
    }

    /** The test directory (its CA, keys and JWKS server), its CA written where the node reads it. */
    @Before
    public void directory() throws Exception {
        if (directory != null) {
            return;
        }
        directory = new TestDirectory(JWKS_PORT, BANK);
        Files.writeString(Path.of(System.getProperty("karaf.etc"), CA_FILE), directory.caPem());
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (directory != null) {
            directory.close();
        }
    }

    private static String ssa(String softwareId, String orgStatus) {
        return directory.ssa(softwareId, orgStatus);
    }

    private static JWTClaimsSet.Builder request(String softwareId, String dn) {
        return directory.request(softwareId, dn);
    }

    private static String sign(JWTClaimsSet claims, JWSAlgorithm alg) {
        return directory.sign(claims, alg);
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
        TestCertificates.Issued cert = directory.transport(dn);
        Https tpp = tpp(cert);

        Https.Response created = send(tpp, "POST", "/register", sign(request(softwareId, dn).build(), JWSAlgorithm.PS256));
        assertEquals("registration " + created, 201, created.status());
        Map<String, Object> reg = created.json();
        String clientId = (String) reg.get("client_id");
        assertNotNull(reg.get("client_id_issued_at"));
        assertEquals("https://localhost:" + httpsPort() + "/register/" + clientId, reg.get("registration_client_uri"));
        assertEquals(dn, reg.get("tls_client_auth_subject_dn"));
        assertEquals(directory.jwksBase() + "/tpp.jwks", reg.get("jwks_uri"));
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
        Https tpp = tpp(directory.transport(dn));
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
        Https other = tpp(directory.transport("CN=someoneElse,OU=itorg1,O=OpenBanking,C=GB"));
        Https.Response r = send(other, "POST", "/register", sign(request(softwareId, dn).build(), JWSAlgorithm.PS256));
        assertOAuthError(r, 400, "invalid_client_metadata");
        assertTrue(r.toString(), r.string("error_description").contains("transport certificate"));
    }

    /**
     * Issue 13 point 6: a TPP registers by DCR and runs the complete FAPI 2.0 flow with the client it got
     * (PAR with plain parameters and PKCE, the PSU's sign-in and consent, the code at its registered https
     * redirect URI, the token request authenticated by tls_client_auth and bound to its certificate); after
     * it deletes itself the token endpoint refuses it (401 invalid_client) and the tokens it had are
     * inactive at introspection.
     */
    @Test
    public void aRegisteredTppRunsTheFapiFlowAndIsRefusedAfterDelete() throws Exception {
        String softwareId = "itSoftwareFlow";
        String dn = "CN=" + softwareId + ",OU=itorg1,O=OpenBanking,C=GB";
        Https tpp = tpp(directory.transport(dn));
        Https.Response created = send(tpp, "POST", "/register", sign(request(softwareId, dn).build(), JWSAlgorithm.PS256));
        assertEquals("registration " + created, 201, created.status());
        String clientId = created.string("client_id");
        String registrationToken = created.string("registration_access_token");

        Shell shell = new Shell(sessionFactory);
        Shell.Result shown = shell.execute("obkm:client-show " + clientId);
        assertEquals("client-show " + shown, null, shown.failure());
        for (String part : List.of(softwareId, "itorg1", "AISP", "PISP", TestDirectory.ISSUER)) {
            assertTrue("client-show names " + part + ": " + shown.output(), shown.output().contains(part));
        }
        Shell.Result listed = shell.execute("obkm:client-list");
        assertTrue("client-list: " + listed.output(), listed.output().contains(softwareId + " (itorg1, "));

        String user = "dcr" + UUID.randomUUID().toString().substring(0, 8);
        Shell.Result added = shell.execute("obkm:user-add --display-name \"Dana Registered\""
                + " --password " + PASSWORD + " " + user);
        assertEquals("user-add " + added, null, added.failure());

        CodeVerifier verifier = new CodeVerifier();
        String state = "st-" + UUID.randomUUID();
        Https.Response par = tpp.postForm("/oauth2/par", Https.form("client_id", clientId, "response_type", "code",
                "redirect_uri", "https://tpp.example/cb", "scope", "openid accounts", "state", state,
                "nonce", "n-" + UUID.randomUUID(), "code_challenge_method", "S256",
                "code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue()));
        assertEquals("PAR " + par, 201, par.status());

        Browser psu = new Browser(tpp);
        Https.Response authorize = psu.get(tpp.uri("/oauth2/authorize?" + Https.form("client_id", clientId,
                "request_uri", par.string("request_uri"))));
        assertEquals("authorization endpoint " + authorize, 303, authorize.status());
        Https.Response login = psu.get(authorize.location());
        assertEquals("login page " + login, 200, login.status());
        Https.Response signedIn = psu.signIn(login, user, PASSWORD);
        assertEquals("sign-in " + signedIn, 303, signedIn.status());
        Https.Response consent = psu.get(signedIn.location());
        assertEquals("consent page " + consent, 200, consent.status());
        assertEquals("the consent page names the registered software", "IT TPP",
                Html.textById(consent.body(), "client-name"));
        Https.Response approved = psu.decide(consent, "approve");
        assertEquals("approve " + approved, 303, approved.status());
        URI back = approved.location();
        assertTrue(back.toString(), back.toString().startsWith("https://tpp.example/cb?"));
        Map<String, String> q = Https.query(back);
        assertEquals(state, q.get("state"));

        Https.Response token = tpp.postForm(TOKEN, Https.form("grant_type", "authorization_code", "client_id", clientId,
                "code", q.get("code"), "redirect_uri", "https://tpp.example/cb", "code_verifier", verifier.getValue()));
        assertEquals("token " + token, 200, token.status());
        String accessToken = token.string("access_token");
        String refreshToken = token.string("refresh_token");
        assertNotNull("an ID token for scope openid", token.string("id_token"));
        assertNotNull(refreshToken);
        org.obkm.api.client.CreatedClient gateway = createClient(
                org.obkm.api.client.TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, "accounts");
        Map<String, Object> active = introspect(gateway, accessToken);
        assertEquals(Boolean.TRUE, active.get("active"));
        assertEquals(clientId, active.get("client_id"));

        Https.Response deleted = send(tpp, "DELETE", "/register/" + clientId, null,
                "Authorization", "Bearer " + registrationToken);
        assertEquals("DELETE " + deleted, 204, deleted.status());
        assertOAuthError(tpp.postForm(TOKEN, Https.form("grant_type", "refresh_token", "client_id", clientId,
                "refresh_token", refreshToken)), 401, "invalid_client");
        assertOAuthError(tpp.postForm(TOKEN, Https.form("grant_type", "client_credentials", "client_id", clientId,
                "scope", "accounts")), 401, "invalid_client");
        assertOAuthError(tpp.postForm("/oauth2/par", Https.form("client_id", clientId, "response_type", "code",
                "redirect_uri", "https://tpp.example/cb", "scope", "openid accounts", "code_challenge_method", "S256",
                "code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier()).getValue())),
                401, "invalid_client");
        assertEquals("the access token issued before DELETE", Boolean.FALSE, introspect(gateway, accessToken).get("active"));
        assertEquals("the refresh token issued before DELETE", Boolean.FALSE,
                introspect(gateway, refreshToken).get("active"));
    }

    /**
     * Issue 13 point 2 behind a load balancer that terminates TLS: the balancer (127.0.0.2, trustedProxies)
     * forwards the TPP's certificate URL-encoded in {@code x-wso2-mutual-auth-cert} and /register registers
     * with it, as the token endpoint authenticates with it; the same header from another address is not
     * believed, so without a certificate of its own connection that caller is refused.
     */
    @Test
    public void registrationTakesTheCertificateFromTheBalancersHeaderOnly() throws Exception {
        String softwareId = "itSoftwareLb";
        String dn = "CN=" + softwareId + ",OU=itorg1,O=OpenBanking,C=GB";
        TestCertificates.Issued cert = directory.transport(dn);
        String header = TestDirectory.headerValue(cert);

        Https.Response stranger = rawPost("127.0.0.1", "/register", sign(request(softwareId, dn).build(),
                JWSAlgorithm.PS256), header);
        assertOAuthError(stranger, 400, "invalid_client_metadata");
        assertTrue(stranger.toString(), stranger.string("error_description").contains("mutual TLS"));

        Https.Response viaBalancer = rawPost(BALANCER, "/register", sign(request(softwareId, dn).build(),
                JWSAlgorithm.PS256), header);
        assertEquals("registration through the balancer " + viaBalancer, 201, viaBalancer.status());
        assertEquals(dn, viaBalancer.json().get("tls_client_auth_subject_dn"));

        Https.Response otherSoftware = rawPost(BALANCER, "/register", sign(request(softwareId, dn).build(),
                JWSAlgorithm.PS256), TestDirectory.headerValue(directory.transport(
                        "CN=someoneElse,OU=itorg1,O=OpenBanking,C=GB")));
        assertOAuthError(otherSoftware, 400, "invalid_client_metadata");
        assertTrue(otherSoftware.toString(), otherSoftware.string("error_description").contains("transport certificate"));
    }

    /**
     * One HTTP/1.1 POST over TLS without a client certificate, from a local address of the test's choosing
     * (the JDK's HttpClient cannot pick its source address); {@code certHeader} goes in the balancer's header.
     */
    private static Https.Response rawPost(String from, String path, String jose, String certHeader) throws Exception {
        javax.net.ssl.SSLSocketFactory factory = Tls.trusting(Tls.nodeCertificate(Path.of(System.getProperty("karaf.etc"),
                "obkm-tls.p12"))).getSocketFactory();
        byte[] body = jose.getBytes(StandardCharsets.UTF_8);
        try (SSLSocket socket = (SSLSocket) factory.createSocket(InetAddress.getByName("127.0.0.1"), httpsPort(),
                InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost:" + httpsPort() + "\r\n"
                    + "Content-Type: application/jose\r\nAccept: application/json\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length + "\r\n" + CERT_HEADER + ": " + certHeader + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            String[] lines = response.substring(0, end).split("\r\n");
            Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new java.util.ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
            return new Https.Response(URI.create("https://localhost:" + httpsPort() + path),
                    Integer.parseInt(lines[0].split(" ")[1]), headers, response.substring(end + 4));
        }
    }
}
