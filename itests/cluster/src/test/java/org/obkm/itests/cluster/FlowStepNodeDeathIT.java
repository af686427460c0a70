package org.obkm.itests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.obkm.itests.support.Await;
import org.obkm.itests.support.FlowClient;
import org.obkm.itests.support.Https;

import com.nimbusds.jose.jwk.ECKey;

/**
 * DESIGN rule 6 at the worst moment: node A is killed (-9) while it is inside a sign-in step, after it
 * read the flow and checked the password and before it wrote the next state; then (A restarted) inside
 * a consent step, after it issued its code and before it ended the flow. The flow must still be in the
 * shared map as it was, so the same browser goes on at node B and gets its code. (Before each step
 * was one compare-and-set, the step had taken the flow out of the map at this point: B answered that
 * the sign-in link had expired.)
 *
 * <p>The kill lands inside the step deterministically: node A alone runs with the test-only system
 * property {@code obkm.test.flowStepStallFile} (oauth bundle, FlowStepStall), so its flow steps write
 * that file and stall; the test kills A once the file appears. Own nodes (port offsets 210 and 211) on a
 * fresh PostgreSQL database, so it runs beside nothing of {@link TwoNodeClusterIT}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlowStepNodeDeathIT {

    static final String ISSUER = "https://localhost:9656/oauth2/token";
    static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    static final String USER = "it-stall-user";
    static final String PASSWORD = "Stall-user-pass-1";
    static final String REDIRECT_URI = "https://tpp.example.test/cb";

    private static TestDatabase db;
    private static KarafNode a;
    private static KarafNode b;
    private static Https https;
    private static Path stallSignal;
    private static Thread killOnExit;
    private static FlowClient client;

    @BeforeAll
    static void startCluster() throws Exception {
        Path dist = KarafNode.distribution();
        Path work = Path.of(System.getProperty("obkm.it.workdir", "target/cluster-it")).toAbsolutePath()
                .resolve("flow-step-death");
        Files.createDirectories(work);
        stallSignal = work.resolve("flow-step-stalled");
        Files.deleteIfExists(stallSignal);
        a = new KarafNode("A", work.resolve("nodeA"), 210);
        b = new KarafNode("B", work.resolve("nodeB"), 211);
        killOnExit = new Thread(() -> KarafNode.all(a, b).forEach(KarafNode::kill), "kill-flow-step-nodes");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        CompletableFuture<Void> unpacked = KarafNode.unpackAll(dist, a, b);
        db = TestDatabase.create();
        unpacked.join();

        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String encryptionSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String members = a.clusterAddress() + "," + b.clusterAddress();
        for (KarafNode n : List.of(a, b)) {
            n.configure("org.ops4j.datasource-obkm.cfg", Map.of("osgi.jdbc.driver.class", "org.postgresql.Driver",
                    "url", db.jdbcUrl(), "user", TestDatabase.USER, "password", TestDatabase.PASSWORD));
            n.configure("org.obkm.cluster.cfg", Map.of("members", members, "bindAddress", "127.0.0.1"));
            n.configure("org.obkm.keys.cfg", Map.of("encryptionSecret", encryptionSecret));
            n.configure("org.obkm.oauth.cfg", Map.of("issuer", ISSUER));
        }
        a.configure("system.properties", Map.of("obkm.test.flowStepStallFile", stallSignal.toString()));

        https = new Https(() -> {
            List<X509Certificate> certs = new ArrayList<>(a.tlsCertificates());
            certs.addAll(b.tlsCertificates());
            return certs;
        });
        a.start();
        b.start();
        awaitInCluster(a);
        awaitInCluster(b);
    }

    private static void awaitInCluster(KarafNode n) {
        Await.until("node " + n.name + ": /health 200 in a cluster of 2", START_TIMEOUT, Duration.ofMillis(250), () -> {
            if (!n.running()) {
                throw new AssertionError("node " + n.name + " exited while starting\n" + diagnostics());
            }
            Https.Response h = https.get(n.baseUrl() + "/health");
            return h.status() == 200 && h.body().contains("2 members") ? Optional.of(true) : Optional.empty();
        }, FlowStepNodeDeathIT::diagnostics);
    }

    /** Waits until node A's step of this name stalls before its write, kills A, and checks A never answered. */
    private static void killAInside(String step, CompletableFuture<FlowBrowser.Redirect> postToA) throws Exception {
        Await.until("node A's " + step + " step to stall before its write (" + stallSignal + ")",
                Duration.ofSeconds(60), Duration.ofMillis(50),
                () -> Files.exists(stallSignal) ? Optional.of(true) : Optional.empty(), FlowStepNodeDeathIT::diagnostics);
        assertEquals(step, Files.readString(stallSignal));
        a.kill();
        try {
            FlowBrowser.Redirect answer = postToA.get(60, TimeUnit.SECONDS);
            throw new AssertionError("the killed node answered the " + step + " step: " + answer);
        } catch (ExecutionException expected) {
            // the connection to A broke with A: the browser got no answer, as a PSU's would
        }
        assertTrue(!a.running(), "A was killed");
        Files.delete(stallSignal);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        try {
            KarafNode.all(a, b).forEach(KarafNode::requestStop);
            KarafNode.all(a, b).forEach(n -> n.awaitStopped(20));
        } finally {
            if (db != null) {
                db.close();
            }
            if (killOnExit != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(killOnExit);
                } catch (IllegalStateException e) {
                    // the JVM is exiting already: the hook runs anyway
                }
            }
        }
    }

    @Test
    @Order(1)
    void aNodeKilledInsideASignInStepLeavesTheFlowToTheOtherNode() throws Exception {
        FlowClient client = client();
        FlowBrowser browser = new FlowBrowser(https, FlowStepNodeDeathIT::diagnostics);
        FlowClient.Authorization auth = client.newAuthorization("openid accounts");
        String requestUri = client.on(a.baseUrl()).push(auth);
        FlowBrowser.Page login = browser.start(a.baseUrl(), a.baseUrl(), client.clientId(), requestUri);

        killAInside("sign-in", CompletableFuture.supplyAsync(() ->
                browser.submit(a.baseUrl(), "/authn/login", login, "username", USER, "password", PASSWORD)));

        FlowBrowser.Code code = browser.signInAndConsent(login, b.baseUrl(), b.baseUrl(), b.baseUrl(), USER, PASSWORD,
                REDIRECT_URI, auth.state(), ISSUER);
        Https.Response tokens = client.on(b.baseUrl()).redeem(code.code(), auth);
        assertEquals(200, tokens.status(), "token on B for the flow whose sign-in step died on A: " + tokens);
        assertTrue(tokens.string("access_token") != null && tokens.string("id_token") != null, tokens.toString());
    }

    /**
     * The consent step on A dies after it issued its code and before it ended the flow: the flow is still
     * at consent, so the PSU's approval on B gives the one code that works.
     */
    @Test
    @Order(2)
    void aNodeKilledInsideAConsentStepLeavesTheFlowToTheOtherNode() throws Exception {
        if (!a.running()) {
            a.start();
            awaitInCluster(a);
            awaitInCluster(b);
        }
        FlowClient client = client();
        FlowBrowser browser = new FlowBrowser(https, FlowStepNodeDeathIT::diagnostics);
        FlowClient.Authorization auth = client.newAuthorization("openid accounts");
        FlowBrowser.Page login = browser.start(b.baseUrl(), b.baseUrl(), client.clientId(),
                client.on(b.baseUrl()).push(auth));
        FlowBrowser.Redirect toConsent = browser.submit(b.baseUrl(), "/authn/login", login, "username", USER,
                "password", PASSWORD);
        assertTrue(toConsent.isSeeOther() && toConsent.location().startsWith("/authn/consent?flow="),
                "sign-in on B: " + toConsent);
        FlowBrowser.Page consent = browser.page(b.baseUrl(), toConsent.location());
        killAInside("consent", CompletableFuture.supplyAsync(() ->
                browser.submit(a.baseUrl(), "/authn/consent", consent, "decision", "approve")));

        FlowBrowser.Redirect back = browser.submit(b.baseUrl(), "/authn/consent", consent, "decision", "approve");
        assertTrue(back.isSeeOther() && back.location().startsWith(REDIRECT_URI + "?"), "consent on B: " + back);
        Map<String, String> q = Https.query(URI.create(back.location()));
        assertEquals(auth.state(), q.get("state"));
        Https.Response tokens = client.on(b.baseUrl()).redeem(q.get("code"), auth);
        assertEquals(200, tokens.status(), "token on B for the flow whose consent step died on A: " + tokens);
    }

    private static synchronized FlowClient client() {
        if (client == null) {
            client = register();
        }
        return client;
    }

    /** The PSU (a primary store user) and a FAPI 2.0 client (private_key_jwt, ES256; default profile fapi2-security-profile). */
    private static FlowClient register() {
        ECKey key = FlowClient.newEcClientKey();
        String cmd = "obkm:client-create --name it-stall --auth-method private_key_jwt"
                + " --grant-types authorization_code,refresh_token --scopes openid,accounts"
                + " --redirect-uri " + REDIRECT_URI + " --json --jwks '" + FlowClient.publicJwks(key) + "'";
        String out = b.shell("obkm:user-add --password " + PASSWORD + " " + USER + "\n" + cmd);
        String json = out.lines().map(String::trim).filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON from " + cmd + ":\n" + out));
        Object clientId = Https.Response.parseJson(json).get("client_id");
        assertTrue(clientId != null, "no client_id from " + cmd + ":\n" + out);
        URI issuer = URI.create(ISSUER);
        return new FlowClient(https, issuer.getScheme() + "://" + issuer.getRawAuthority(), ISSUER,
                clientId.toString(), key, REDIRECT_URI);
    }

    private static String diagnostics() {
        StringBuilder sb = new StringBuilder();
        KarafNode.all(a, b).forEach(n -> sb.append(n.logTail(40)));
        return sb.toString();
    }
}
