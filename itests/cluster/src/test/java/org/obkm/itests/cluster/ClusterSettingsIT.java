package org.obkm.itests.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Issue 15: the cluster's settings. Two nodes (offsets 320 and 321: HTTPS 9766/9767, cluster 4320/4321,
 * SSH 8421/8422; {@code -Dobkm.it.settings.offset=N} moves them) on one fresh PostgreSQL database. A
 * setting changed once through {@code obkm:config-set} on A is in force on both nodes within 2 s while
 * a token load runs on both with no failure; a node stopped during a change is healthy only with the
 * new value; a value changed in one node's file shows in {@code obkm:config-diff} and in /health; a
 * secret setting appears in clear in no shell output, no karaf.log, no etc/ file and no /health.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSettingsIT {

    static final int OFFSET = Integer.getInteger("obkm.it.settings.offset", 320);
    static final String ISSUER = "https://localhost:" + (9446 + OFFSET) + "/oauth2/token";
    static final String OAUTH = "org.obkm.oauth";
    static final String LIFETIME = "accessTokenLifetimeSeconds";
    static final long IN_FORCE_MILLIS = 2000;

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
        Path work = Path.of(System.getProperty("obkm.it.workdir", "target/cluster-it")).toAbsolutePath()
                .resolve("settings");
        Files.createDirectories(work);
        a = new KarafNode("A", work.resolve("nodeA"), OFFSET);
        b = new KarafNode("B", work.resolve("nodeB"), OFFSET + 1);
        killOnExit = new Thread(() -> KarafNode.all(a, b).forEach(KarafNode::kill), "kill-obkm-nodes");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        var unpacked = KarafNode.unpackAll(KarafNode.distribution(), a, b);
        db = TestDatabase.create();
        unpacked.join();
        KarafNode.configureCluster(db, ISSUER, a, b);
        for (KarafNode n : List.of(a, b)) {
            // shellResult (exit code and output of a refused command) finds the node by its directory
            Files.writeString(n.home.resolve("etc/obkm-port-offset"), n.offset + "\n");
        }
        https = KarafNode.httpsTrusting(a, b);
        a.start();
        b.start();
        awaitHealthy(a);
        awaitHealthy(b);
        awaitTwoMembers();
        String out = a.shell("obkm:client-create --name it-settings --scopes accounts --auth-method client_secret_basic"
                + " --profile none --json");
        String json = out.lines().map(String::trim).filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON from client-create:\n" + out));
        Map<String, Object> created = Https.Response.parseJson(json);
        clientId = created.get("client_id").toString();
        clientSecret = created.get("client_secret").toString();
        System.out.println("MEASURE settings IT: cluster up and client made after "
                + (System.nanoTime() - classStart) / 1_000_000 + " ms");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        try {
            KarafNode.stopAll(db, killOnExit, a, b);
        } finally {
            System.out.println("ClusterSettingsIT took " + (System.nanoTime() - classStart) / 1_000_000 + " ms");
        }
    }

    /** One token request of the load: where, when it started, what came back. */
    record Issued(String node, long startedMillis, int status, long expiresIn, String body) {
    }

    @Test
    @Order(1)
    void settingChangedOnceIsInForceOnBothWithinTwoSecondsUnderLoad() throws Exception {
        check(expiresIn(a) == 3600 && expiresIn(b) == 3600, "the shipped lifetime first");
        List<Issued> issued = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger turn = new AtomicInteger();
        List<Thread> load = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                while (loading.get()) {
                    KarafNode n = turn.getAndIncrement() % 2 == 0 ? a : b;
                    long started = System.currentTimeMillis();
                    try {
                        Https.Response r = token(n);
                        Object exp = r.status() == 200 ? r.json().get("expires_in") : null;
                        issued.add(new Issued(n.name, started, r.status(),
                                exp instanceof Number x ? x.longValue() : -1, r.status() == 200 ? "" : r.toString()));
                    } catch (RuntimeException e) {
                        issued.add(new Issued(n.name, started, -1, -1, e.toString()));
                    }
                }
            }, "settings-load-" + i);
            t.start();
            load.add(t);
        }
        try {
            Await.until("the load reaching both nodes", Duration.ofSeconds(30), () -> count(issued, "A") > 20
                    && count(issued, "B") > 20);
            String out = a.shell("obkm:config-set " + OAUTH + " " + LIFETIME + " 600");
            check(out.contains("set on the cluster"), "config-set:\n" + out);
            long changedAt = updatedAt(a.shell("obkm:config-get " + OAUTH + " " + LIFETIME));
            // Load requests started from 2 s after the change was written must all have the new lifetime.
            Await.until("load requests on both nodes started 2.5 s after the change", Duration.ofSeconds(30),
                    () -> started(issued, "A", changedAt + IN_FORCE_MILLIS + 500) > 5
                            && started(issued, "B", changedAt + IN_FORCE_MILLIS + 500) > 5);
        } finally {
            loading.set(false);
            for (Thread t : load) {
                t.join(30_000);
            }
        }
        long changedAt = updatedAt(a.shell("obkm:config-get " + OAUTH + " " + LIFETIME));
        List<Issued> all;
        synchronized (issued) {
            all = new ArrayList<>(issued);
        }
        List<Issued> failed = all.stream().filter(x -> x.status() != 200).toList();
        check(failed.isEmpty(), all.size() + " token requests during the change; failed: " + failed);
        List<Issued> late = all.stream().filter(x -> x.startedMillis() >= changedAt + IN_FORCE_MILLIS
                && x.expiresIn() != 600).toList();
        check(late.isEmpty(), "requests started 2 s after the change still had the old lifetime: " + late);
        for (String node : List.of("A", "B")) {
            long firstNew = all.stream().filter(x -> x.node().equals(node) && x.expiresIn() == 600)
                    .mapToLong(Issued::startedMillis).min().orElse(-1);
            long lastOld = all.stream().filter(x -> x.node().equals(node) && x.expiresIn() == 3600)
                    .mapToLong(Issued::startedMillis).max().orElse(-1);
            System.out.println("MEASURE config-set to in force on " + node + ": last old lifetime started "
                    + (lastOld - changedAt) + " ms, first new started " + (firstNew - changedAt)
                    + " ms after the change was written (" + all.size() + " requests, 0 failed)");
        }
        check(expiresIn(a) == 600 && expiresIn(b) == 600, "600 on both");
        check(Files.readString(b.home.resolve("etc/org.obkm.oauth.cfg")).contains(LIFETIME + " = 600"),
                "B's etc/org.obkm.oauth.cfg shows the value in force");
    }

    @Test
    @Order(2)
    void perNodeSettingsAreRefused() {
        for (String cmd : List.of("obkm:config-set org.obkm.cluster members 10.0.0.1:4000",
                "obkm:config-set org.ops4j.datasource-obkm url jdbc:postgresql://x/y",
                "obkm:config-set org.obkm.http.cpugate permits 3")) {
            KarafNode.ShellResult r = a.shellResult(cmd);
            check(r.exitCode() != 0 && r.output().contains("Error: ") && r.output().contains("per node"),
                    cmd + " exited " + r.exitCode() + ":\n" + r.output());
        }
    }

    @Test
    @Order(3)
    void nodeStoppedDuringAChangeStartsWithTheNewValue() throws Exception {
        b.requestStop();
        b.awaitStopped(60);
        a.shell("obkm:config-set " + OAUTH + " " + LIFETIME + " 900");
        check(expiresIn(a) == 900, "A at once");
        check(Files.readString(b.home.resolve("etc/org.obkm.oauth.cfg")).contains(LIFETIME + " = 600"),
                "B's file still has the value of before");
        b.start();
        // The first 200 of /health: the very next token on B must have the new lifetime.
        awaitHealthy(b);
        long first = expiresIn(b);
        check(first == 900, "B's first token after /health 200 has expires_in " + first);
        awaitTwoMembers();
    }

    @Test
    @Order(4)
    void localOverrideShowsInConfigDiffAndHealth() throws Exception {
        String clean = a.shell("obkm:config-diff");
        check(clean.contains("Every member's settings are the cluster's"), "config-diff before:\n" + clean);
        b.configure("org.obkm.oauth.cfg", Map.of(LIFETIME, "30"));
        Await.until("B's file value in force on B", Duration.ofSeconds(10), () -> expiresIn(b) == 30);
        Await.until("config-diff on A naming B's override", Duration.ofSeconds(10), () -> {
            String d = a.shell("obkm:config-diff");
            return d.contains(LIFETIME) && d.contains(b.clusterAddress()) && d.contains("30  <- local override")
                    && d.contains("900");
        });
        for (KarafNode n : List.of(a, b)) {
            Await.until(n.name + "'s /health naming B", Duration.ofSeconds(10), () -> {
                Https.Response h = https.get(n.baseUrl() + "/health");
                return h.status() == 200 && settingsDetail(h).contains(b.clusterAddress())
                        && settingsDetail(h).contains(LIFETIME);
            });
        }
        check(b.logHasLine(l -> l.contains("Settings differ between members") && l.contains(b.clusterAddress())),
                "B's log names the drift:\n" + b.logTail(20));
        // The cluster changing that key again wins over the override.
        a.shell("obkm:config-set " + OAUTH + " " + LIFETIME + " 600");
        check(expiresIn(b) == 600, "B after the cluster changed the key again");
        Await.until("config-diff clean again", Duration.ofSeconds(10),
                () -> a.shell("obkm:config-diff").contains("Every member's settings are the cluster's"));
    }

    @Test
    @Order(5)
    void secretSettingNeverAppearsInClear() throws Exception {
        String secret = "Sekr1t-" + Long.toHexString(new SecureRandom().nextLong());
        String key = "webhookSecret";
        List<String> outputs = new ArrayList<>();
        outputs.add(a.shell("obkm:config-set --secret org.obkm.consent " + key + " " + secret));
        Await.until("the ciphertext applied on B", Duration.ofSeconds(5), () -> Files.readString(
                b.home.resolve("etc/org.obkm.consent.cfg")).contains(key + " = ENC("));
        String getA = a.shell("obkm:config-get org.obkm.consent " + key);
        check(getA.contains("********"), "config-get masks it:\n" + getA);
        outputs.add(getA);
        outputs.add(b.shell("obkm:config-get org.obkm.consent " + key));
        outputs.add(a.shell("obkm:config-list"));
        outputs.add(b.shell("obkm:config-get org.obkm.consent"));
        // Another secret in B's file: the difference shows, neither value does.
        String other = "Other-" + Long.toHexString(new SecureRandom().nextLong());
        b.configure("org.obkm.consent.cfg", Map.of(key, other));
        Await.until("config-diff naming the secret's override", Duration.ofSeconds(10), () -> {
            String d = a.shell("obkm:config-diff");
            outputs.add(d);
            return d.contains(key) && d.contains("secret:") && d.contains("local override");
        });
        outputs.add(https.get(a.baseUrl() + "/health").body());
        outputs.add(https.get(b.baseUrl() + "/health").body());
        for (String o : outputs) {
            check(!o.contains(secret) && !o.contains(other), "a secret in clear in:\n" + o);
        }
        for (KarafNode n : List.of(a, b)) {
            check(!n.logHasLine(l -> l.contains(secret) || l.contains(other)), n.name + "'s karaf.log has a secret");
            check(!Files.readString(n.home.resolve("etc/org.obkm.consent.cfg")).contains(secret),
                    n.name + "'s etc/org.obkm.consent.cfg has the cluster's secret in clear");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Https.Response token(KarafNode n) {
        try {
            return https.postForm(n.baseUrl() + "/oauth2/token", Https.form("grant_type", "client_credentials",
                    "scope", "accounts"), "Authorization", Https.basic(clientId, clientSecret));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long expiresIn(KarafNode n) {
        Https.Response r = token(n);
        check(r.status() == 200, n.name + " token: " + r);
        return ((Number) r.json().get("expires_in")).longValue();
    }

    private static final Pattern UPDATED_AT = Pattern.compile("version \\d+, [^,]+, (\\S+?)\\)");

    /** When the cluster's value was written, from config-get's line "cluster: v (version n, by, instant)". */
    private static long updatedAt(String configGet) {
        Matcher m = UPDATED_AT.matcher(configGet);
        check(m.find(), "no update time in:\n" + configGet);
        return Instant.parse(m.group(1)).toEpochMilli();
    }

    private static long count(List<Issued> issued, String node) {
        synchronized (issued) {
            return issued.stream().filter(x -> x.node().equals(node)).count();
        }
    }

    private static long started(List<Issued> issued, String node, long from) {
        synchronized (issued) {
            return issued.stream().filter(x -> x.node().equals(node) && x.startedMillis() >= from).count();
        }
    }

    private static String settingsDetail(Https.Response health) {
        Object s = health.json().get("settings");
        return s instanceof Map<?, ?> m ? String.valueOf(m.get("detail")) : "";
    }

    private static void awaitHealthy(KarafNode n) {
        Await.until("HTTPS /health 200 on " + n.name, Duration.ofSeconds(150), Duration.ofMillis(100), () -> {
            if (!n.running()) {
                throw new AssertionError(n.name + " exited while starting\n" + n.logTail(60));
            }
            try {
                return https.get(n.baseUrl() + "/health").status() == 200 ? Optional.of(true) : Optional.empty();
            } catch (java.io.UncheckedIOException e) {
                return Optional.empty();
            }
        }, ClusterSettingsIT::diagnostics);
    }

    private static void awaitTwoMembers() {
        Await.until("2 members on A and B", Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            for (KarafNode n : List.of(a, b)) {
                Https.Response h = https.get(n.baseUrl() + "/health");
                Object c = h.json().get("cluster");
                if (h.status() != 200 || !(c instanceof Map<?, ?> m) || !String.valueOf(m.get("detail")).startsWith("2 members")) {
                    return Optional.empty();
                }
            }
            return Optional.of(true);
        }, ClusterSettingsIT::diagnostics);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + "\n" + diagnostics());
        }
    }

    private static String diagnostics() {
        StringBuilder sb = new StringBuilder();
        KarafNode.all(a, b).forEach(n -> sb.append(n.logTail(40)));
        return sb.toString();
    }
}
