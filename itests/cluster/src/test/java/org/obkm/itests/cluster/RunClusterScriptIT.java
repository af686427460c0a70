package org.obkm.itests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.obkm.itests.support.Https;
import org.obkm.itests.support.Tls;

import com.nimbusds.jose.util.X509CertUtils;

/**
 * {@code ./run-cluster.sh 2} as a user runs it (port offsets 264 and 265, HAProxy on 19464, stats
 * 19465, a database of its own name): the cluster it prints serves a first token through the balancer
 * as the printed commands get it, discovery names the balancer, and {@code --stop} stops every process
 * it recorded and frees every port.
 */
class RunClusterScriptIT {

    static final int OFFSET = 264;
    static final int LB_PORT = 19464;
    static final int STATS_PORT = 19465;

    @Test
    void runClusterStartsTwoNodesBehindHaproxyAndStopStopsExactlyThat() throws Exception {
        Path root = Path.of(System.getProperty("obkm.it.root", "../..")).toAbsolutePath().normalize();
        Path dir = Path.of(System.getProperty("obkm.it.workdir", "target/cluster-it")).toAbsolutePath()
                .resolve("run-cluster");
        if (Files.exists(dir)) {
            run(root, dir, List.of("rm", "-rf", dir.toString()), Map.of(), 60);
        }
        String dbName = "obkm_it_script_" + ThreadLocalRandom.current().nextInt(100000, 1000000);
        Map<String, String> env = Map.of("OBKM_CLUSTER_DIR", dir.toString(), "OBKM_CLUSTER_OFFSET",
                Integer.toString(OFFSET), "OBKM_LB_PORT", Integer.toString(LB_PORT), "OBKM_LB_STATS_PORT",
                Integer.toString(STATS_PORT), "OBKM_DB_NAME", dbName, "OBKM_DB_PORT", "19466", "OBKM_DB_PASSWORD",
                TestDatabase.PASSWORD, "OBKM_DIST", KarafNode.distribution().toAbsolutePath().toString());
        boolean localDb = KarafNode.listening(5432);
        try {
            long t0 = System.nanoTime();
            String out = run(root, dir, List.of("sh", root.resolve("run-cluster.sh").toString(), "2"), env, 300);
            System.out.println("MEASURE run-cluster.sh 2 until it printed the URLs: "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            String issuer = "https://localhost:" + LB_PORT + "/oauth2/token";
            assertTrue(out.contains(issuer) && out.contains("node 2") && out.contains("--stop"), out);

            X509Certificate lbCert = X509CertUtils.parse(Files.readString(dir.resolve("lb/lb-cert.pem")));
            Https https = Https.using(Tls.trusting(lbCert));
            Https.Response discovery = https.get("https://localhost:" + LB_PORT + "/.well-known/openid-configuration");
            assertEquals(issuer, discovery.string("issuer"), discovery.toString());

            // The first token as the script says: obkm-shell on node 1, then curl through the balancer.
            String created = new KarafNode("node1", dir.resolve("node1"), OFFSET)
                    .shell("obkm:client-create --name demo --scopes accounts --profile none --json");
            Map<String, Object> c = Https.Response.parseJson(created.lines().map(String::trim)
                    .filter(l -> l.startsWith("{")).findFirst().orElseThrow(() -> new AssertionError(created)));
            for (int i = 0; i < 4; i++) {
                Https.Response token = https.postForm("https://localhost:" + LB_PORT + "/oauth2/token",
                        Https.form("grant_type", "client_credentials", "scope", "accounts"), "Authorization",
                        Https.basic(c.get("client_id").toString(), c.get("client_secret").toString()));
                assertEquals(200, token.status(), token.toString());
            }
        } finally {
            try {
                stopAndCheck(root, dir, env);
            } finally {
                if (localDb) {
                    try (Connection conn = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                            TestDatabase.USER, TestDatabase.PASSWORD); Statement s = conn.createStatement()) {
                        s.execute("DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)");
                    }
                }
            }
        }
    }

    /** {@code --stop}: every process of the state file gone, every port free, the state file removed. */
    private static void stopAndCheck(Path root, Path dir, Map<String, String> env) throws Exception {
        List<String> state = Files.exists(dir.resolve("state")) ? Files.readAllLines(dir.resolve("state")) : List.of();
        String stopped = run(root, dir, List.of("sh", root.resolve("run-cluster.sh").toString(), "--stop"), env, 120);
        for (String line : state) {
            String[] f = line.split(" ", 3);
            if (!"postgres".equals(f[0])) {
                assertTrue(!runs(f[1], f[2]), f[0] + " " + f[1] + " still runs after --stop:\n" + stopped);
            }
        }
        assertTrue(state.stream().filter(l -> l.startsWith("node ")).count() == 2
                && state.stream().anyMatch(l -> l.startsWith("haproxy ")), "state file: " + state);
        for (int port : new int[] {LB_PORT, STATS_PORT, 9446 + OFFSET, 9447 + OFFSET, 4000 + OFFSET, 4001 + OFFSET}) {
            assertTrue(!KarafNode.listening(port), "port " + port + " still listening after --stop");
        }
        assertTrue(!Files.exists(dir.resolve("state")), "state file left after --stop");
    }

    /** Whether process {@code pid} runs with {@code what} on its command line (a zombie being reaped does not). */
    private static boolean runs(String pid, String what) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", pid, "cmdline"))).contains(what);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String run(Path root, Path dir, List<String> command, Map<String, String> env, int seconds)
            throws Exception {
        Files.createDirectories(dir.getParent());
        Path out = Files.createTempFile(dir.getParent(), "run-cluster-", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("OBKM_") || k.startsWith("KARAF_")
                || k.equals("EXTRA_JAVA_OPTS") || k.equals("JAVA_OPTS") || k.equals("MAVEN_OPTS"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        String text = Files.readString(out);
        if (!done) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s:\n" + text);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
        }
        return text;
    }
}
