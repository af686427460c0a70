package org.obkm.itests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.obkm.itests.support.Await;
import org.obkm.itests.support.Https;

import com.nimbusds.jwt.SignedJWT;

/**
 * A node (port offset 270) on a PostgreSQL primary with a synchronous streaming standby (Debian's
 * binaries, ports 15470 and 15471), through a multi-host JDBC URL with {@code targetServerType=primary}.
 * Under continuous load ({@link DbLoad}) the primary is killed (kill -9 of its postmaster and backends)
 * and the standby promoted; later the promoted server is stopped for {@code obkm.it.dbDownSeconds} and
 * started again. While no primary answers, every answer is 200 or a clean 503 {@code
 * temporarily_unavailable} with Retry-After, {@code /health} says 503 with the database DOWN, the node
 * recovers by itself, and no acknowledged write (a client, a revocation) is lost. Lines starting with
 * {@code MEASURE} give the figures.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseFailoverIT {

    static final int OFFSET = 270;
    static final int PRIMARY_PORT = 15470;
    static final int STANDBY_PORT = 15471;
    static final String DATABASE = "obkm";
    static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(60);

    private static Path base;
    private static PgServer primary;
    private static PgServer standby;
    private static KarafNode node;
    private static Https https;
    private static Thread killOnExit;
    private static DbLoad.Client loadClient;
    private static final List<String> clientsCreated = new ArrayList<>();
    /** Every token acknowledged over the whole class, and whether its revocation was acknowledged. */
    private static final Map<String, Boolean> ledger = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> bin = PgServer.binaries();
        Assumptions.assumeTrue(bin.isPresent(), "DatabaseFailoverIT skipped: no PostgreSQL server binaries"
                + " (initdb, pg_ctl, pg_basebackup) under /usr/lib/postgresql/<major>/bin: apt-get install postgresql-15,"
                + " or -Dobkm.it.pgbin=<bin folder>");
        System.out.println("PostgreSQL binaries: " + bin.get());
        Path work = Path.of(System.getProperty("obkm.it.workdir", "target/cluster-it")).toAbsolutePath();
        node = new KarafNode("H", work.resolve("nodeH"), OFFSET);
        killOnExit = new Thread(() -> {
            KarafNode.all(node).forEach(KarafNode::kill);
            for (PgServer s : new PgServer[] {primary, standby}) {
                if (s != null) {
                    s.stopQuietly();
                }
            }
        }, "kill-db-failover-it");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        var unpacked = KarafNode.unpackAll(KarafNode.distribution(), node);

        base = PgServer.newBase("obkm-pg-ha-");
        primary = PgServer.initPrimary(base, "pg1", PRIMARY_PORT);
        primary.start();
        try (Connection c = primary.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        standby = PgServer.standbyOf(primary, base, "pg2", STANDBY_PORT);
        standby.start();
        primary.requireSynchronousStandby("pg2");
        Await.Result<String> sync = Await.until("pg2 streaming as the synchronous standby of pg1", Duration.ofSeconds(30),
                Duration.ofMillis(100), () -> {
                    try (Connection c = primary.connect("postgres"); Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT sync_state FROM pg_stat_replication"
                                    + " WHERE application_name = 'pg2' AND state = 'streaming'")) {
                        return rs.next() && "sync".equals(rs.getString(1)) ? Optional.of("sync") : Optional.empty();
                    }
                }, DatabaseFailoverIT::diagnostics);
        measure("standby pg2 synchronous", sync.elapsedMillis() + " ms after its start");

        unpacked.join();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        node.configure("org.ops4j.datasource-obkm.cfg", Map.of(
                "osgi.jdbc.driver.class", "org.postgresql.Driver",
                "url", jdbcUrl(),
                "user", PgServer.USER,
                "password", "x"));
        node.configure("org.obkm.cluster.cfg", Map.of("members", node.clusterAddress(), "bindAddress", "127.0.0.1"));
        node.configure("org.obkm.keys.cfg", Map.of("encryptionSecret",
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret)));
        node.configure("org.obkm.oauth.cfg", Map.of("issuer", node.baseUrl() + "/oauth2/token"));
        https = new Https(node::tlsCertificates);
        node.start();
        Await.Result<Boolean> up = Await.until("node H /health 200", START_TIMEOUT, Duration.ofMillis(200), () -> {
            if (!node.running()) {
                throw new AssertionError("node H exited while starting\n" + diagnostics());
            }
            try {
                return https.get(node.baseUrl() + "/health").status() == 200 ? Optional.of(true) : Optional.empty();
            } catch (java.io.UncheckedIOException e) {
                return Optional.empty();
            }
        }, DatabaseFailoverIT::diagnostics);
        measure("node H start to /health 200", up.elapsedMillis() + " ms");
        loadClient = createClient("it-db-load");
    }

    /** Both servers, the primary first; the driver connects to whichever is the primary now. */
    static String jdbcUrl() {
        // hostRecheckSeconds: how long the driver trusts what it learnt of a host (pg2 "secondary"); default 10.
        return "jdbc:postgresql://127.0.0.1:" + PRIMARY_PORT + ",127.0.0.1:" + STANDBY_PORT + "/" + DATABASE
                + "?targetServerType=primary&hostRecheckSeconds=1&connectTimeout=2&socketTimeout=10";
    }

    @AfterAll
    static void stop() {
        try {
            KarafNode.all(node).forEach(n -> n.stop(20));
        } finally {
            for (PgServer s : new PgServer[] {primary, standby}) {
                if (s != null) {
                    s.stopQuietly();
                }
            }
            PgServer.removeBase(base);
            if (killOnExit != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(killOnExit);
                } catch (IllegalStateException e) {
                    // exiting already
                }
            }
        }
    }

    @Test
    @Order(1)
    void primaryKilledStandbyPromotedNothingAcknowledgedIsLost() throws Exception {
        for (int i = 0; i < 3; i++) {
            clientsCreated.add(createClient("it-before-kill-" + i).id());
        }
        long promoteAfter = Long.getLong("obkm.it.failover.promoteAfterSeconds", 3);
        try (DbLoad load = new DbLoad(https, node.baseUrl(), loadClient, 2); HealthWatch health = new HealthWatch()) {
            sleep(Duration.ofSeconds(3));
            long killAt = load.nowMillis();
            long pid = primary.kill9();
            long healthKillAt = health.nowMillis();
            sleep(Duration.ofSeconds(promoteAfter));
            long promotedAt = load.nowMillis();
            standby.promote();
            long promoteReturned = load.nowMillis();
            DbLoad.Outcome firstOk = awaitRevokeOk(load, promoteReturned);
            sleep(Duration.ofSeconds(3));
            load.close();
            health.close();
            ledger.putAll(load.ledger);

            long firstFailure = load.outcomes().stream().filter(o -> o.kind() != DbLoad.Kind.OK && o.atMillis() >= killAt)
                    .mapToLong(DbLoad.Outcome::atMillis).min().orElse(killAt);
            long lastFailure = load.outcomes().stream().filter(o -> o.kind() != DbLoad.Kind.OK)
                    .mapToLong(DbLoad.Outcome::atMillis).max().orElse(killAt);
            measure("database failover (kill -9 of primary pg1, pid " + pid + "; pg2 promoted " + promoteAfter
                    + " s later)", load.count(DbLoad.Kind.OK) + " acknowledged, " + load.count(DbLoad.Kind.UNAVAILABLE)
                    + " answered 503 temporarily_unavailable, " + load.count(DbLoad.Kind.BAD) + " bad; error window "
                    + (lastFailure - firstFailure) + " ms (first failure " + (firstFailure - killAt)
                    + " ms after the kill, last " + (lastFailure - promoteReturned) + " ms after promote returned);"
                    + " first revocation acknowledged " + (firstOk.atMillis() - promoteReturned)
                    + " ms after promote returned (promote took " + (promoteReturned - promotedAt) + " ms)\n"
                    + load.bySecond(killAt - 1000, firstOk.atMillis() + 1000));
            measure("health during the failover", health.summary(healthKillAt));
            checkNoBadAnswers(load);
        }
        checkLedger("after the failover");
        try (Connection c = standby.connect(DATABASE); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT client_id FROM obkm_client")) {
            Set<String> ids = new HashSet<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            check(ids.containsAll(clientsCreated) && ids.contains(loadClient.id()),
                    "clients created before the kill must be on the promoted server: " + clientsCreated + " in " + ids);
        }
        // A write after the failover goes to the promoted server (and does not wait for a standby it no longer has).
        clientsCreated.add(createClient("it-after-promote").id());
    }

    @Test
    @Order(2)
    void databaseDownForAWhileTakesTheNodeOutOfRotationAndItComesBack() throws Exception {
        long downSeconds = Long.getLong("obkm.it.dbDownSeconds", 30);
        try (DbLoad load = new DbLoad(https, node.baseUrl(), loadClient, 2); HealthWatch health = new HealthWatch()) {
            sleep(Duration.ofSeconds(2));
            long stopAt = load.nowMillis();
            long healthStopAt = health.nowMillis();
            standby.stop();
            long stopped = load.nowMillis();
            Await.Result<Boolean> out = Await.until("/health 503 with the database DOWN", Duration.ofSeconds(15),
                    Duration.ofMillis(20), () -> health.databaseDownSince(healthStopAt) ? Optional.of(true) : Optional.empty(),
                    DatabaseFailoverIT::diagnostics);
            sleep(Duration.ofSeconds(downSeconds).minusMillis(load.nowMillis() - stopAt));
            long startAt = load.nowMillis();
            long healthStartAt = health.nowMillis();
            standby.start();
            long started = load.nowMillis();
            Await.Result<Boolean> back = Await.until("/health 200 again", RECOVERY_TIMEOUT, Duration.ofMillis(20),
                    () -> health.upSince(healthStartAt) ? Optional.of(true) : Optional.empty(), DatabaseFailoverIT::diagnostics);
            DbLoad.Outcome firstOk = awaitRevokeOk(load, started);
            sleep(Duration.ofSeconds(2));
            load.close();
            health.close();
            ledger.putAll(load.ledger);

            measure("database down " + downSeconds + " s (pg_ctl stop -m fast, " + (stopped - stopAt) + " ms; start "
                    + (started - startAt) + " ms)", load.count(DbLoad.Kind.OK) + " acknowledged, "
                    + load.count(DbLoad.Kind.UNAVAILABLE) + " answered 503, " + load.count(DbLoad.Kind.BAD)
                    + " bad; /health 503 (database DOWN) " + out.elapsedMillis() + " ms after the stop began, 200 again "
                    + back.elapsedMillis() + " ms after the start began; first revocation acknowledged "
                    + (firstOk.atMillis() - started) + " ms after the server was up\n"
                    + load.bySecond(stopAt - 1000, firstOk.atMillis() + 1000));
            measure("health while the database was down", health.summary(healthStopAt));
            measure("log lines with a stack trace in node H's data/log/karaf.log (whole run)", stackTraces());
            checkNoBadAnswers(load);
        }
        checkLedger("after the database came back");
        for (String id : clientsCreated) {
            try (Connection c = standby.connect(DATABASE); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM obkm_client WHERE client_id = '" + id + "'")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "client " + id + " after the restart");
            }
        }
    }

    /** Waits for the load to get a revocation acknowledged (a database write) at or after {@code fromMillis}. */
    private static DbLoad.Outcome awaitRevokeOk(DbLoad load, long fromMillis) {
        return Await.until("a revocation acknowledged again (the node recovers by itself)", RECOVERY_TIMEOUT,
                Duration.ofMillis(20), () -> load.outcomes().stream()
                        .filter(o -> o.kind() == DbLoad.Kind.OK && "revoke".equals(o.op()) && o.atMillis() >= fromMillis)
                        .findFirst(), () -> load.bySecond(0, Long.MAX_VALUE) + diagnostics()).value();
    }

    private static void checkNoBadAnswers(DbLoad load) {
        List<DbLoad.Outcome> bad = load.bad();
        check(bad.isEmpty(), bad.size() + " answers were neither 200 nor 503 temporarily_unavailable with Retry-After,"
                + " first: " + bad.subList(0, Math.min(10, bad.size())));
    }

    /**
     * Every acknowledged token still introspects on the node, active unless its revocation was
     * acknowledged; and every acknowledged revocation is a row of the database the node is on now.
     */
    private static void checkLedger(String when) throws Exception {
        Set<String> revokedRows = new HashSet<>();
        try (Connection c = standby.connect(DATABASE); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT token_id FROM obkm_revoked_token")) {
            while (rs.next()) {
                revokedRows.add(rs.getString(1));
            }
        }
        int revoked = 0;
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : ledger.entrySet()) {
            String at = e.getKey();
            Https.Response r = https.postForm(node.baseUrl() + "/oauth2/introspect", Https.form("token", at),
                    "Authorization", Https.basic(loadClient.id(), loadClient.secret()));
            check(r.status() == 200, "introspection " + when + ": " + r);
            boolean active = Boolean.TRUE.equals(r.json().get("active"));
            if (e.getValue()) {
                revoked++;
                String jti = SignedJWT.parse(at).getJWTClaimsSet().getJWTID();
                if (active || !revokedRows.contains(jti)) {
                    lost.add("revocation of " + jti + (active ? " (token active again)" : " (no row)"));
                }
            } else if (!active && !revokedRows.contains(SignedJWT.parse(at).getJWTClaimsSet().getJWTID())) {
                lost.add("token " + SignedJWT.parse(at).getJWTClaimsSet().getJWTID() + " inactive");
            }
        }
        measure("ledger " + when, ledger.size() + " acknowledged tokens checked on the node, " + revoked
                + " acknowledged revocations checked on the node and in obkm_revoked_token; " + lost.size() + " lost");
        check(lost.isEmpty(), "acknowledged writes lost " + when + ": " + lost.subList(0, Math.min(10, lost.size())));
    }

    private static DbLoad.Client createClient(String name) {
        String cmd = "obkm:client-create --name " + name + " --scopes accounts --auth-method client_secret_basic"
                + " --profile none --json";
        String out = node.shell(cmd);
        String json = out.lines().map(String::trim).filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON from " + cmd + ":\n" + out));
        Map<String, Object> m = Https.Response.parseJson(json);
        return new DbLoad.Client(m.get("client_id").toString(), m.get("client_secret").toString());
    }

    /** Polls /health every 100 ms while the load runs; what it saw, for the figures and the checks. */
    private static final class HealthWatch implements AutoCloseable {
        record Seen(long atMillis, int status, String database, String detail) { }

        private final long startNanos = System.nanoTime();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
        private final Thread thread = new Thread(this::loop, "health-watch");

        HealthWatch() {
            thread.setDaemon(true);
            thread.start();
        }

        long nowMillis() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }

        private void loop() {
            while (running.get()) {
                long at = nowMillis();
                try {
                    Https.Response r = https.get(node.baseUrl() + "/health");
                    Object db = r.json().get("database");
                    String status = db instanceof Map<?, ?> m ? String.valueOf(m.get("status")) : "?";
                    String detail = db instanceof Map<?, ?> m ? String.valueOf(m.get("detail")) : r.body();
                    seen.add(new Seen(at, r.status(), status, detail));
                } catch (RuntimeException e) {
                    seen.add(new Seen(at, -1, "?", e.toString()));
                }
                sleep(Duration.ofMillis(100));
            }
        }

        boolean databaseDownSince(long fromMillis) {
            return seen.stream().anyMatch(s -> s.atMillis() >= fromMillis && s.status() == 503 && "DOWN".equals(s.database()));
        }

        boolean upSince(long fromMillis) {
            return seen.stream().anyMatch(s -> s.atMillis() >= fromMillis && s.status() == 200);
        }

        /** Each change of what /health said, from {@code fromMillis} on. */
        String summary(long fromMillis) {
            StringBuilder sb = new StringBuilder();
            String last = null;
            for (Seen s : seen) {
                String now = s.status() + " database " + s.database() + " (" + s.detail() + ")";
                if (s.atMillis() >= fromMillis && !now.equals(last)) {
                    sb.append("\n  +").append(s.atMillis() - fromMillis).append(" ms: ").append(now);
                    last = now;
                }
            }
            return sb.toString();
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Each log line that a stack trace follows, by logger: what an operator would wade through. */
    private static String stackTraces() throws java.io.IOException {
        Map<String, Integer> by = new java.util.TreeMap<>();
        String header = null;
        for (String line : java.nio.file.Files.readAllLines(node.home.resolve("data/log/karaf.log"),
                java.nio.charset.StandardCharsets.ISO_8859_1)) {
            if (line.matches("^\\d{4}-.*")) {
                header = line;
            } else if (header != null && line.startsWith("\tat ")) {
                String[] f = header.split("\\|");
                by.merge(f.length > 3 ? f[1].strip() + " " + f[3].strip() : header, 1, Integer::sum);
                header = null;
            }
        }
        return by.isEmpty() ? "none" : by.toString();
    }

    private static void sleep(Duration d) {
        if (!d.isNegative()) {
            java.util.concurrent.locks.LockSupport.parkNanos(d.toNanos());
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + "\n" + diagnostics());
        }
    }

    private static String diagnostics() {
        StringBuilder sb = new StringBuilder();
        KarafNode.all(node).forEach(n -> sb.append(n.logTail(40)));
        for (PgServer s : new PgServer[] {primary, standby}) {
            if (s != null) {
                sb.append(s.logTail(15));
            }
        }
        return sb.toString();
    }

    private static void measure(String what, String value) {
        System.out.println("MEASURE " + what + ": " + value);
    }
}
