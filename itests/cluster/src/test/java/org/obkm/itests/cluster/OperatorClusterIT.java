package org.obkm.itests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.obkm.itests.support.Await;
import org.obkm.itests.support.Https;

/**
 * What an operator runs against a cluster of two node JVMs (offsets 300 and 301: HTTP 10066/10067,
 * HTTPS 9746/9747, cluster 4300/4301, SSH 8401/8402) on one PostgreSQL database: {@code obkm:cluster-status},
 * {@code obkm:cache-stats}, {@code obkm:cache-clear} (run on A, it empties B's cache) and
 * {@code obkm:node-drain} through {@code bin/obkm-shell}, and {@code /metrics} on the HTTP port, which
 * counts a token request and refuses an address outside its allow-list (a client bound to 127.0.0.2).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorClusterIT {

    static final int OFFSET = Integer.getInteger("obkm.it.operator.offset", 300);
    static final String ISSUER = "https://localhost:" + (9446 + OFFSET) + "/oauth2/token";

    private static TestDatabase db;
    private static KarafNode a;
    private static KarafNode b;
    private static Https https;
    private static Thread killOnExit;
    private static String clientId;
    private static String clientSecret;
    private static long classStart;

    @BeforeAll
    static void startCluster() throws Exception {
        classStart = System.nanoTime();
        Path work = Path.of(System.getProperty("obkm.it.workdir", "target/cluster-it")).toAbsolutePath();
        Files.createDirectories(work);
        a = new KarafNode("A", work.resolve("nodeOpA"), OFFSET);
        b = new KarafNode("B", work.resolve("nodeOpB"), OFFSET + 1);
        killOnExit = new Thread(() -> KarafNode.all(a, b).forEach(KarafNode::kill), "kill-obkm-nodes");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        var unpacked = KarafNode.unpackAll(KarafNode.distribution(), a, b);
        db = TestDatabase.create();
        unpacked.join();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String encryptionSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        for (KarafNode n : List.of(a, b)) {
            Files.writeString(n.home.resolve("etc/obkm-port-offset"), n == a ? OFFSET + "\n" : (OFFSET + 1) + "\n");
            n.configure("org.ops4j.datasource-obkm.cfg", Map.of("osgi.jdbc.driver.class", "org.postgresql.Driver",
                    "url", db.jdbcUrl(), "user", TestDatabase.USER, "password", TestDatabase.PASSWORD));
            n.configure("org.obkm.cluster.cfg", Map.of("members", a.clusterAddress() + "," + b.clusterAddress(),
                    "bindAddress", "127.0.0.1"));
            n.configure("org.obkm.keys.cfg", Map.of("encryptionSecret", encryptionSecret));
            n.configure("org.obkm.oauth.cfg", Map.of("issuer", ISSUER));
            // short drain bounds keep the drain test quick
            n.configure("org.obkm.shutdown.cfg", Map.of("drainSeconds", "3", "quietMillis", "300"));
        }
        https = new Https(() -> {
            List<X509Certificate> certs = new ArrayList<>(a.tlsCertificates());
            certs.addAll(b.tlsCertificates());
            return certs;
        });
        a.start();
        b.start();
        Await.until("both nodes healthy with 2 members", Duration.ofSeconds(150), Duration.ofMillis(250), () -> {
            for (KarafNode n : List.of(a, b)) {
                if (!n.running()) {
                    throw new AssertionError("node " + n.name + " exited\n" + n.logTail(60));
                }
                try {
                    Https.Response h = https.get(n.baseUrl() + "/health");
                    if (h.status() != 200 || !h.body().contains("2 members")) {
                        return Optional.empty();
                    }
                } catch (java.io.UncheckedIOException e) {
                    return Optional.empty();
                }
            }
            return Optional.of(true);
        }, () -> a.logTail(40) + "\n" + b.logTail(40));
        String out = a.shell("obkm:client-create --name it-operator --scopes accounts --auth-method client_secret_basic"
                + " --profile none --json");
        String json = out.lines().map(String::trim).filter(l -> l.startsWith("{")).findFirst().orElseThrow();
        Map<String, Object> m = Https.Response.parseJson(json);
        clientId = m.get("client_id").toString();
        clientSecret = m.get("client_secret").toString();
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
            Runtime.getRuntime().removeShutdownHook(killOnExit);
            System.out.println("OperatorClusterIT took " + (System.nanoTime() - classStart) / 1_000_000 + " ms");
        }
    }

    @Test
    @Order(1)
    void clusterStatusListsBothMembersWithVersionUptimeHealthAndPartitions() {
        String out = Await.until("cluster-status on A with both members reported UP", Duration.ofSeconds(20),
                Duration.ofMillis(500), () -> {
                    String s = a.shell("obkm:cluster-status");
                    return rowOf(s, a.clusterAddress()).contains(" UP ") && rowOf(s, b.clusterAddress()).contains(" UP ")
                            ? Optional.of(s) : Optional.empty();
                }, () -> a.shell("obkm:cluster-status")).value();
        System.out.println("obkm:cluster-status on A:\n" + out);
        assertTrue(out.contains("': 2 members"), out);
        String rowA = rowOf(out, a.clusterAddress());
        assertTrue(rowA.contains("0.1.0") && rowA.trim().endsWith("*"), "A's row: " + rowA + "\n" + out);
        assertTrue(rowOf(out, b.clusterAddress()).matches(".*\\s\\d+(s|m\\d+s)\\s.*"), "uptime in B's row:\n" + out);
        assertTrue(out.contains("Partitions: 271, without owner: 0"), out);
        assertTrue(out.contains("Migration: "), out);
        // this node's view of its database (PostgreSQL schema) and of its user store folder
        assertTrue(out.lines().anyMatch(l -> l.trim().startsWith("database") && l.contains("UP") && l.contains("schema")),
                out);
        assertTrue(out.lines().anyMatch(l -> l.trim().startsWith("userstores")), out);
    }

    @Test
    @Order(2)
    void cacheClearOnAEmptiesTheClientCacheOfB() throws Exception {
        assertEquals(200, token(b).status());
        String before = b.shell("obkm:cache-stats");
        long sizeBefore = column(before, "clients", 1);
        long receivedBefore = column(before, "clients", 6);
        assertTrue(sizeBefore >= 1, "B caches the client it authenticated:\n" + before);
        assertTrue(column(before, "clients", 2) + column(before, "clients", 3) >= 1, before);

        String cleared = a.shell("obkm:cache-clear clients");
        assertTrue(cleared.contains("Cleared cache clients on every node."), cleared);
        String after = b.shell("obkm:cache-stats");
        System.out.println("obkm:cache-stats on B before and after obkm:cache-clear clients on A:\n" + before + after);
        assertEquals(0, column(after, "clients", 1), "B's client cache after cache-clear on A:\n" + after);
        assertEquals(receivedBefore + 1, column(after, "clients", 6), after);
        assertTrue(column(a.shell("obkm:cache-stats"), "clients", 5) >= 1, "A counted the invalidation it sent");

        // the cache fills again from the database
        assertEquals(200, token(b).status());
        assertTrue(column(b.shell("obkm:cache-stats"), "clients", 1) >= 1);
    }

    @Test
    @Order(3)
    void cacheClearOfAnUnknownCacheIsAUserError() {
        KarafNode.ShellResult r = a.shellResult("obkm:cache-clear nosuchcache");
        assertTrue(r.exitCode() != 0, r.output());
        assertTrue(r.output().lines().anyMatch(l -> l.startsWith("Error: no cache nosuchcache")), r.output());
        KarafNode.ShellResult all = a.shellResult("obkm:cache-clear");
        assertEquals(0, all.exitCode(), all.output());
        assertTrue(all.output().contains("Cleared cache keys") && all.output().contains("Cleared cache clients"),
                all.output());
    }

    @Test
    @Order(4)
    void metricsCountATokenRequestAndAnError() throws Exception {
        String before = metrics(a);
        double tokens = value(before, "obkm_tokens_issued_total{grant_type=\"client_credentials\"}");
        double requests = value(before, "obkm_http_requests_total{endpoint=\"token\",status=\"200\"}");
        double invalid = value(before, "obkm_http_errors_total{endpoint=\"token\",error=\"invalid_client\"}");
        assertEquals(200, token(a).status());
        Https.Response bad = https.postForm(a.baseUrl() + "/oauth2/token",
                Https.form("grant_type", "client_credentials"), "Authorization", Https.basic(clientId, "wrong"));
        assertEquals(401, bad.status(), bad.toString());
        String after = metrics(a);
        assertEquals(tokens + 1, value(after, "obkm_tokens_issued_total{grant_type=\"client_credentials\"}"), after);
        assertEquals(requests + 1, value(after, "obkm_http_requests_total{endpoint=\"token\",status=\"200\"}"), after);
        assertEquals(invalid + 1, value(after, "obkm_http_errors_total{endpoint=\"token\",error=\"invalid_client\"}"),
                after);
        assertTrue(value(after, "obkm_http_request_duration_seconds_count{endpoint=\"token\"}") >= requests + 2, after);
        assertTrue(after.contains("obkm_http_request_duration_seconds_bucket{endpoint=\"token\",le=\"0.005\"}"), after);
        assertEquals(2, value(after, "obkm_cluster_members"), after);
        assertTrue(value(after, "obkm_cache_hits_total{cache=\"clients\"}") >= 1, after);
        assertTrue(after.contains("obkm_cache_invalidations_received_total{cache=\"clients\"}"), after);
        assertTrue(value(after, "obkm_db_pool_connections{pool=\"obkm\",state=\"total\"}") >= 1, after);
    }

    @Test
    @Order(5)
    void metricsRefuseAnAddressOutsideTheAllowList() throws Exception {
        String refused = rawGet(InetAddress.getByName("127.0.0.2"), a.httpPort(), "/metrics");
        assertTrue(refused.startsWith("HTTP/1.1 403"), refused);
        assertTrue(refused.contains("\"error\":\"access_denied\""), refused);
        assertTrue(rawGet(InetAddress.getByName("127.0.0.1"), a.httpPort(), "/metrics").startsWith("HTTP/1.1 200"));
        // the OAuth endpoints stay HTTPS-only on the HTTP port
        assertTrue(rawGet(InetAddress.getByName("127.0.0.1"), a.httpPort(), "/oauth2/jwks").startsWith("HTTP/1.1 403"));
    }

    @Test
    @Order(6)
    void nodeDrainTakesBOutOfRotationUntilUndone() {
        String out = b.shell("obkm:node-drain");
        assertTrue(out.contains("Drained: /health answers 503 DRAINING"), out);
        Https.Response h = https.get(b.baseUrl() + "/health");
        assertEquals(503, h.status(), h.toString());
        assertEquals("DRAINING", h.string("status"), h.toString());
        assertEquals(200, https.get(a.baseUrl() + "/health").status());
        // still serving what comes while out of rotation
        assertEquals(200, token(b).status());
        Await.until("A's cluster-status shows B DRAINING", Duration.ofSeconds(10), Duration.ofMillis(500), () ->
                rowOf(a.shell("obkm:cluster-status"), b.clusterAddress()).contains("DRAINING")
                        ? Optional.of(true) : Optional.empty(), () -> a.shell("obkm:cluster-status"));
        String undone = b.shell("obkm:node-drain --undo");
        assertTrue(undone.contains("Drain ended"), undone);
        assertEquals(200, https.get(b.baseUrl() + "/health").status());
        KarafNode.ShellResult again = b.shellResult("obkm:node-drain --undo");
        assertTrue(again.exitCode() != 0 && again.output().contains("Error: this node is not drained"), again.output());
    }

    private static Https.Response token(KarafNode n) {
        return https.postForm(n.baseUrl() + "/oauth2/token", Https.form("grant_type", "client_credentials", "scope",
                "accounts"), "Authorization", Https.basic(clientId, clientSecret));
    }

    private static String metrics(KarafNode n) throws IOException {
        String r = rawGet(InetAddress.getByName("127.0.0.1"), n.httpPort(), "/metrics");
        assertTrue(r.startsWith("HTTP/1.1 200") && r.contains("text/plain; version=0.0.4"), r);
        return r;
    }

    /** A sample's value, 0 when the series does not exist yet. */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The table row that names this address. */
    private static String rowOf(String table, String address) {
        return table.lines().filter(l -> l.contains(address)).findFirst().orElse("");
    }

    /** A number column of a row of {@code obkm:cache-stats} (0 is the cache name). */
    private static long column(String table, String cache, int index) {
        String row = table.lines().filter(l -> l.trim().startsWith(cache + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + cache + ":\n" + table));
        String[] cells = row.trim().split("\\s*\\|\\s*|\\s{2,}");
        return Long.parseLong(cells[index].trim());
    }

    /** HTTP/1.1 GET from a chosen local address (the JDK's HttpClient cannot bind one). */
    private static String rawGet(InetAddress local, int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(local, 0));
            s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            in.transferTo(body);
            return body.toString(StandardCharsets.UTF_8);
        }
    }
}
