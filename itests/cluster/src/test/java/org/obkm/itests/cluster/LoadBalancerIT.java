package org.obkm.itests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.obkm.itests.support.Await;
import org.obkm.itests.support.Https;
import org.obkm.itests.support.TestCertificates;
import org.obkm.itests.support.Tls;

import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.SignedJWT;

/**
 * Two nodes (port offsets 260 and 261) on one PostgreSQL database behind real HAProxy processes made
 * from the shipped templates ({@code cluster/haproxy/}): mode (a) TLS terminated at the balancer
 * (port 19460, the client certificate forwarded in {@code x-wso2-mutual-auth-cert}, believed from the
 * balancer's source address 127.0.0.2 only) and mode (b) TLS passthrough (port 19461, from 127.0.0.3,
 * not trusted). A tls_client_auth client gets certificate-bound tokens through each; discovery names the
 * balancer; a forged certificate header is ignored wherever it does not come from the balancer; a node
 * whose /health answers 503, and a node killed, are out of rotation within 2 s (MEASURE lines).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancerIT {

    static final int TERMINATE_PORT = 19460;
    static final int PASSTHROUGH_PORT = 19461;
    static final String TERMINATE_SOURCE = "127.0.0.2";
    static final String PASSTHROUGH_SOURCE = "127.0.0.3";
    static final String HEADER = "x-wso2-mutual-auth-cert";
    static final String TPP_DN = "CN=lb-tpp.example,O=TPP IT,C=GB";
    static final Duration OUT_OF_ROTATION = Duration.ofSeconds(2);

    private static TestDatabase db;
    private static KarafNode a;
    private static KarafNode b;
    private static Balancer terminate;
    private static Balancer passthrough;
    private static Thread killOnExit;
    private static TestCertificates.Issued lbCert;
    private static TestCertificates.Issued tpp;
    private static TestCertificates.Issued other;
    private static String clientId;
    private static Https withTpp;
    private static Https withOther;
    private static Https noCert;

    @BeforeAll
    static void startClusterAndBalancers() throws Exception {
        Path work = Path.of(System.getProperty("obkm.it.workdir", "target/cluster-it")).toAbsolutePath()
                .resolve("lb");
        Files.createDirectories(work);
        Path shared = work.resolve("shared");
        Files.createDirectories(shared);
        a = new KarafNode("A", work.resolve("nodeA"), 260);
        b = new KarafNode("B", work.resolve("nodeB"), 261);
        killOnExit = new Thread(() -> {
            KarafNode.all(a, b).forEach(KarafNode::kill);
            closeBalancers();
        }, "kill-obkm-lb-test");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        CompletableFuture<Void> unpacked = KarafNode.unpackAll(KarafNode.distribution(), a, b);
        db = TestDatabase.create();
        unpacked.join();

        TestCertificates.Issued directoryCa = TestCertificates.ca("CN=LB IT Directory CA,O=OBKM IT");
        Path caFile = shared.resolve("tpp-cas.pem");
        Files.writeString(caFile, X509CertUtils.toPEMString(directoryCa.cert()) + "\n");
        tpp = TestCertificates.client(directoryCa, TPP_DN);
        other = TestCertificates.client(directoryCa, "CN=someone-else,O=TPP IT,C=GB");

        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        for (KarafNode n : List.of(a, b)) {
            n.configure("org.ops4j.datasource-obkm.cfg", Map.of("osgi.jdbc.driver.class", "org.postgresql.Driver",
                    "url", db.jdbcUrl(), "user", TestDatabase.USER, "password", TestDatabase.PASSWORD));
            n.configure("org.obkm.cluster.cfg", Map.of("members", a.clusterAddress() + "," + b.clusterAddress(),
                    "bindAddress", "127.0.0.1"));
            n.configure("org.obkm.keys.cfg", Map.of("encryptionSecret",
                    Base64.getUrlEncoder().withoutPadding().encodeToString(secret)));
            n.configure("org.obkm.oauth.cfg", Map.of("issuer", issuer(TERMINATE_PORT)));
            n.configure("org.obkm.mtls.cfg", Map.of("trustedCaFile", caFile.toString(),
                    "certificateHeaderEnabled", "true", "trustedProxies", TERMINATE_SOURCE));
            n.configure("org.obkm.userstore.deployer.cfg", Map.of("directory", shared.resolve("userstores").toString()));
        }
        Files.createDirectories(shared.resolve("userstores"));
        a.start();
        b.start();

        lbCert = new TestCertificates.Issued(Balancer.makeCertificate(work), null);
        Path lbPem = work.resolve("lb.pem");

        awaitHealthy(List.of(a, b), Duration.ofSeconds(150));
        List<KarafNode> nodes = List.of(a, b);
        terminate = Balancer.configure("terminate", work, TERMINATE_PORT, 19468, Map.of("LB_CERT", lbPem.toString(),
                "LB_CLIENT_CA", caFile.toString(), "LB_SOURCE", TERMINATE_SOURCE, "NODES_HOST", "localhost"), nodes);
        passthrough = Balancer.configure("passthrough", work, PASSTHROUGH_PORT, 19469,
                Map.of("LB_SOURCE", PASSTHROUGH_SOURCE), nodes);
        terminate.start();
        passthrough.start();
        for (Balancer lb : List.of(terminate, passthrough)) {
            awaitStatus(lb, Map.of("A", "UP", "B", "UP"), Duration.ofSeconds(10));
        }

        String out = a.shell("obkm:client-create --name lb-tpp --scopes accounts --auth-method tls_client_auth"
                + " --tls-subject-dn '" + TPP_DN + "' --profile none --json");
        clientId = Https.Response.parseJson(out.lines().map(String::trim).filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON from client-create:\n" + out))).get("client_id").toString();

        withTpp = client(tpp);
        withOther = client(other);
        noCert = client(null);
    }

    @AfterAll
    static void stopAll() throws Exception {
        try {
            closeBalancers();
            KarafNode.all(a, b).forEach(KarafNode::requestStop);
            KarafNode.all(a, b).forEach(n -> n.awaitStopped(20));
        } finally {
            if (db != null) {
                db.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException | NullPointerException e) {
                // exiting anyway
            }
        }
    }

    @Test
    @Order(1)
    void terminatedDiscoveryNamesTheBalancer() {
        assertDiscoveryNames(terminate);
    }

    @Test
    @Order(2)
    void terminatedTokenIsBoundToTheClientCertificateAndEveryNodeServes() throws Exception {
        // 2xx answers by node, as HAProxy counts them: a node it cannot reach would get attempts, not answers.
        Map<String, Long> before = terminate.successes();
        for (int i = 0; i < 4; i++) {
            Https.Response r = token(withTpp, terminate, clientId);
            check(r.status() == 200, "token through the TLS-terminating balancer: " + r);
            assertBoundTo(tpp.cert(), r.string("access_token"));
            Https.Response in = withTpp.postForm(terminate.baseUrl() + "/oauth2/introspect",
                    Https.form("token", r.string("access_token"), "client_id", clientId));
            check(in.status() == 200 && Boolean.TRUE.equals(in.json().get("active")), "introspection: " + in);
        }
        Map<String, Long> after = terminate.successes();
        for (String n : List.of("A", "B")) {
            check(after.get(n) > before.get(n), "node " + n + " served no request through the balancer: " + before
                    + " -> " + after);
        }
        check(token(withOther, terminate, clientId).status() == 401, "another subject's certificate must be refused");
        check(token(noCert, terminate, clientId).status() == 401, "no certificate must be refused");
    }

    @Test
    @Order(3)
    void stickyCookieIsSetAndAStaleOneIsNoHarm() {
        Https.Response r = noCert.get(terminate.baseUrl() + "/oauth2/jwks");
        String cookie = r.headerValues("set-cookie").stream().filter(c -> c.startsWith("OBKM_NODE=")).findFirst()
                .orElseThrow(() -> new AssertionError("no OBKM_NODE cookie from the balancer: " + r.headers()));
        check(cookie.contains("HttpOnly") && cookie.contains("Secure"), "cookie attributes: " + cookie);
        // A cookie naming a node that does not exist: served by a node in rotation all the same.
        Https.Response stale = noCert.get(terminate.baseUrl() + "/oauth2/jwks", "Cookie", "OBKM_NODE=gone");
        check(stale.status() == 200, "a stale sticky cookie: " + stale);
    }

    @Test
    @Order(4)
    void aForgedCertificateHeaderIsIgnoredUnlessTheBalancerSentIt() throws Exception {
        String forged = Base64.getEncoder().encodeToString(tpp.cert().getEncoded());
        // Directly to a node, from 127.0.0.1 (not the balancer): no client authentication from the header.
        for (KarafNode n : List.of(a, b)) {
            Https.Response direct = noCert.postForm(n.baseUrl() + "/oauth2/token",
                    Https.form("grant_type", "client_credentials", "client_id", clientId), HEADER, forged);
            check(direct.status() == 401 && "invalid_client".equals(direct.string("error")),
                    "forged header sent to node " + n.name + " directly must be ignored: " + direct);
            check(n.logHasLine(l -> l.contains("Ignored the client certificate header")),
                    "node " + n.name + " logs the ignored header");
        }
        // Through the terminating balancer: the client's own header is replaced by the real certificate.
        check(token(noCert, terminate, clientId, HEADER, forged).status() == 401,
                "a forged header through the balancer, without a certificate");
        Https.Response own = token(withOther, terminate, clientId, HEADER, forged);
        check(own.status() == 401, "a forged header through the balancer with another certificate: " + own);
        // Through the passthrough balancer (its address is not trusted): the TLS certificate counts, not the header.
        check(token(noCert, passthrough, clientId, HEADER, forged).status() == 401,
                "a forged header through the passthrough balancer must be ignored");
    }

    @Test
    @Order(5)
    void aNodeAnswering503IsOutOfRotationWithinTwoSeconds() throws Exception {
        // An invalid client profile setting makes B's /health 503 (as starting, draining or a lost database do)
        // without a stop: policy fails closed, visibly. (An invalid server setting such as the signing
        // algorithm no longer does: the node keeps its previous settings and logs one ERROR line.)
        b.configure("org.obkm.oauth.cfg", Map.of("profile.none.refresh-rotation", "yes"));
        long t0 = System.nanoTime();
        Await.until("B /health 503", Duration.ofSeconds(20), Duration.ofMillis(20),
                () -> noCert.get(b.baseUrl() + "/health").status() == 503 ? Optional.of(true) : Optional.empty(),
                LoadBalancerIT::diagnostics);
        long unhealthy = System.nanoTime();
        long[] out = new long[2];
        int i = 0;
        for (Balancer lb : List.of(terminate, passthrough)) {
            out[i++] = awaitStatusSince(lb, "B", "DOWN", unhealthy);
        }
        measure("node /health 503 -> out of rotation", "terminate " + out[0] + " ms, passthrough " + out[1]
                + " ms (config change to 503 took " + (unhealthy - t0) / 1_000_000 + " ms)");
        for (long ms : out) {
            check(ms <= OUT_OF_ROTATION.toMillis(), "out of rotation after " + ms + " ms");
        }
        for (int k = 0; k < 4; k++) {
            check(token(withTpp, terminate, clientId).status() == 200, "A serves alone");
        }
        // Every node 503 at once: none is sent a request, not even by the fail-open fallback (which sent
        // requests to every node unchecked, a starting one included: 404s and 503s in ClusterFaultsIT).
        a.configure("org.obkm.oauth.cfg", Map.of("profile.none.refresh-rotation", "yes"));
        Await.until("A /health 503", Duration.ofSeconds(20), Duration.ofMillis(20),
                () -> noCert.get(a.baseUrl() + "/health").status() == 503 ? Optional.of(true) : Optional.empty(),
                LoadBalancerIT::diagnostics);
        awaitStatus(terminate, Map.of("A", "DOWN", "B", "DOWN"), Duration.ofSeconds(10));
        awaitStatus(passthrough, Map.of("A", "DOWN", "B", "DOWN"), Duration.ofSeconds(10));
        Await.until("the fail-open fallback has no node either", Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> allDown(terminate.serverStatus("obkm_failopen")) && allDown(passthrough.serverStatus("obkm_failopen"))
                        ? Optional.of(true) : Optional.empty(), LoadBalancerIT::diagnostics);
        Https.Response none = token(withTpp, terminate, clientId);
        check(none.status() == 503 && none.body().contains("No server is available"),
                "with every node answering 503 the balancer answers 503 itself, not a node: " + none);
        for (KarafNode n : List.of(a, b)) {
            n.configure("org.obkm.oauth.cfg", Map.of("profile.none.refresh-rotation", "true"));
        }
        awaitStatus(terminate, Map.of("A", "UP", "B", "UP"), Duration.ofSeconds(20));
        awaitStatus(passthrough, Map.of("A", "UP", "B", "UP"), Duration.ofSeconds(20));
    }

    @Test
    @Order(6)
    void passthroughTokenIsBoundToTheClientCertificateAndDiscoveryNamesTheBalancer() throws Exception {
        // The issuer moves to the passthrough balancer's URL: a configuration change, no restart.
        for (KarafNode n : List.of(a, b)) {
            n.configure("org.obkm.oauth.cfg", Map.of("issuer", issuer(PASSTHROUGH_PORT)));
        }
        for (KarafNode n : List.of(a, b)) {
            Await.until("issuer of " + n.name + " is the passthrough balancer's", Duration.ofSeconds(30),
                    Duration.ofMillis(100), () -> issuer(PASSTHROUGH_PORT).equals(noCert.get(n.baseUrl()
                            + "/.well-known/openid-configuration").string("issuer")) ? Optional.of(true)
                            : Optional.empty(), LoadBalancerIT::diagnostics);
        }
        assertDiscoveryNames(passthrough);
        for (int i = 0; i < 4; i++) {
            // A fresh connection each time: in TCP mode the balancer picks a node per connection.
            Https.Response r = token(client(tpp), passthrough, clientId);
            check(r.status() == 200, "token through the passthrough balancer: " + r);
            assertBoundTo(tpp.cert(), r.string("access_token"));
            check(issuer(PASSTHROUGH_PORT).equals(SignedJWT.parse(r.string("access_token")).getJWTClaimsSet()
                    .getIssuer()), "iss of the token");
        }
        Map<String, Long> sessions = passthrough.sessions();
        check(sessions.get("A") > 0 && sessions.get("B") > 0, "both nodes served through passthrough: " + sessions);
        check(token(client(other), passthrough, clientId).status() == 401, "another subject through passthrough");
    }

    @Test
    @Order(7)
    void aKilledNodeIsOutOfRotationWithinTwoSecondsAndRequestsGoOn() throws Exception {
        b.kill();
        long killed = System.nanoTime();
        CompletableFuture<long[]> load = CompletableFuture.supplyAsync(() -> {
            long ok = 0;
            long failed = 0;
            while (System.nanoTime() - killed < OUT_OF_ROTATION.toNanos() + 500_000_000L) {
                try {
                    if (token(withTpp, terminate, clientId).status() == 200) {
                        ok++;
                    } else {
                        failed++;
                    }
                } catch (RuntimeException e) {
                    failed++;
                }
            }
            return new long[] {ok, failed};
        });
        long outTerminate = awaitStatusSince(terminate, "B", "DOWN", killed);
        long outPassthrough = awaitStatusSince(passthrough, "B", "DOWN", killed);
        long[] counts = load.join();
        measure("node kill -9 -> out of rotation", "terminate " + outTerminate + " ms, passthrough "
                + outPassthrough + " ms; through the terminating balancer meanwhile " + counts[0] + " tokens, "
                + counts[1] + " failed");
        check(outTerminate <= OUT_OF_ROTATION.toMillis() && outPassthrough <= OUT_OF_ROTATION.toMillis(),
                "out of rotation within 2 s");
        check(counts[1] == 0, counts[1] + " requests failed through the balancer after the kill (retried on A)");
        check(token(client(tpp), passthrough, clientId).status() == 200, "passthrough serves from A alone");
    }

    // ---- helpers ----

    private static String issuer(int port) {
        return "https://localhost:" + port + "/oauth2/token";
    }

    private static boolean allDown(Map<String, String> servers) {
        return servers.size() == 2 && servers.values().stream().allMatch(st -> st.startsWith("DOWN"));
    }

    private static void assertDiscoveryNames(Balancer lb) {
        Https.Response r = noCert.get(lb.baseUrl() + "/.well-known/openid-configuration");
        check(r.status() == 200, "discovery through " + lb.mode + ": " + r);
        assertEquals(issuer(lb.port), r.string("issuer"), r.body());
        List<String> urls = new ArrayList<>();
        r.json().forEach((k, v) -> {
            if (v instanceof String s && s.startsWith("http")) {
                urls.add(k + "=" + s);
            } else if (v instanceof Map<?, ?> m) {
                m.forEach((k2, v2) -> urls.add(k + "." + k2 + "=" + v2));
            }
        });
        check(urls.size() >= 6, "discovery URLs: " + urls);
        for (String u : urls) {
            check(u.substring(u.indexOf('=') + 1).startsWith(lb.baseUrl() + "/"),
                    "discovery through " + lb.mode + " names a URL that is not the balancer's: " + u);
        }
    }

    private static Https.Response token(Https client, Balancer lb, String id, String... headers) {
        return client.postForm(lb.baseUrl() + "/oauth2/token",
                Https.form("grant_type", "client_credentials", "scope", "accounts", "client_id", id), headers);
    }

    private static void assertBoundTo(X509Certificate cert, String accessToken) throws Exception {
        Map<String, Object> cnf = SignedJWT.parse(accessToken).getJWTClaimsSet().getJSONObjectClaim("cnf");
        check(cnf != null && X509CertUtils.computeSHA256Thumbprint(cert).toString().equals(cnf.get("x5t#S256")),
                "access token cnf must be the client certificate's x5t#S256: " + cnf);
    }

    /** HTTPS presenting {@code cert} (null: none), trusting the balancer's and the nodes' certificates. */
    private static Https client(TestCertificates.Issued cert) throws Exception {
        List<X509Certificate> trusted = new ArrayList<>(a.tlsCertificates());
        trusted.addAll(b.tlsCertificates());
        trusted.add(lbCert.cert());
        TrustManager[] tm = Tls.trustOnly(trusted.toArray(new X509Certificate[0])).getTrustManagers();
        return Https.using(Tls.context(cert == null ? null : cert.keyManagers(), tm));
    }

    private static void awaitHealthy(List<KarafNode> nodes, Duration timeout) throws Exception {
        Https https = new Https(() -> {
            List<X509Certificate> certs = new ArrayList<>(a.tlsCertificates());
            certs.addAll(b.tlsCertificates());
            return certs;
        });
        for (KarafNode n : nodes) {
            Await.until(n.name + " /health 200", timeout, Duration.ofMillis(200), () -> {
                if (!n.running()) {
                    throw new AssertionError(n.name + " exited while starting\n" + diagnostics());
                }
                return https.get(n.baseUrl() + "/health").status() == 200 ? Optional.of(true) : Optional.empty();
            }, LoadBalancerIT::diagnostics);
        }
    }

    private static void awaitStatus(Balancer lb, Map<String, String> expected, Duration timeout) {
        lb.awaitStatus(expected, timeout, LoadBalancerIT::diagnostics);
    }

    /** Ms from {@code sinceNanos} until the balancer reports {@code server} in {@code status}. */
    private static long awaitStatusSince(Balancer lb, String server, String status, long sinceNanos) {
        return lb.awaitStatusSince(server, status, sinceNanos, LoadBalancerIT::diagnostics);
    }

    private static void closeBalancers() {
        for (Balancer lb : new Balancer[] {terminate, passthrough}) {
            if (lb != null) {
                lb.close();
            }
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + "\n" + diagnostics());
        }
    }

    private static String diagnostics() {
        StringBuilder sb = new StringBuilder();
        KarafNode.all(a, b).forEach(n -> sb.append(n.logTail(30)));
        for (Balancer lb : new Balancer[] {terminate, passthrough}) {
            if (lb != null) {
                sb.append(lb.logTail()).append('\n');
            }
        }
        return sb.toString();
    }

    private static void measure(String what, String value) {
        System.out.println("MEASURE " + what + ": " + value);
    }
}
