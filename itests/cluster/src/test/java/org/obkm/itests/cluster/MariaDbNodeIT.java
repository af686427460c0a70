package org.obkm.itests.cluster;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.obkm.itests.support.Await;
import org.obkm.itests.support.Https;
import org.obkm.persistence.internal.MariaDbDatabase;

/**
 * A node (port offset 271) on MariaDB: a fresh database on the MariaDB at 127.0.0.1:3306, else on a
 * throwaway one started from Debian's binaries, else skipped ({@link MariaDbDatabase} says which). The
 * schema modules migrate with their MariaDB/MySQL scripts, EclipseLink runs with target-database MySQL
 * (PID org.apache.aries.jpa.obkm), and clients (JPA), tokens and revocations (JDBC) work as on PostgreSQL.
 */
class MariaDbNodeIT {

    private static final MariaDbDatabase db = new MariaDbDatabase("obkm_node_it");
    private static KarafNode node;
    private static Https https;
    private static boolean created;

    @BeforeAll
    static void start() throws Exception {
        MariaDbDatabase.assumeAvailable();
        Path work = Path.of(System.getProperty("obkm.it.workdir", "target/cluster-it")).toAbsolutePath();
        node = new KarafNode("M", work.resolve("nodeM"), 271);
        node.unpack(KarafNode.distribution());
        db.create();
        created = true;
        System.out.println("Node M on " + MariaDbDatabase.where() + ": " + db.jdbcUrl());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        node.configure("org.ops4j.datasource-obkm.cfg", Map.of(
                "osgi.jdbc.driver.class", "org.mariadb.jdbc.Driver",
                "url", db.jdbcUrl(),
                "user", "root",
                "password", ""));
        node.configure("org.apache.aries.jpa.obkm.cfg", Map.of("eclipselink.target-database", "MySQL"));
        node.configure("org.obkm.cluster.cfg", Map.of("members", node.clusterAddress(), "bindAddress", "127.0.0.1"));
        node.configure("org.obkm.keys.cfg", Map.of("encryptionSecret",
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret)));
        node.configure("org.obkm.oauth.cfg", Map.of("issuer", node.baseUrl() + "/oauth2/token"));
        https = new Https(node::tlsCertificates);
        node.start();
        Await.Result<Boolean> up = Await.until("node M /health 200", Duration.ofSeconds(150), Duration.ofMillis(200), () -> {
            if (!node.running()) {
                throw new AssertionError("node M exited while starting\n" + node.logTail(40));
            }
            try {
                return https.get(node.baseUrl() + "/health").status() == 200 ? Optional.of(true) : Optional.empty();
            } catch (java.io.UncheckedIOException e) {
                return Optional.empty();
            }
        }, () -> node.logTail(60));
        System.out.println("MEASURE node M on MariaDB, start to /health 200: " + up.elapsedMillis() + " ms");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (node != null) {
                node.stop(20);
            }
        } finally {
            if (created) {
                db.drop();
            }
        }
    }

    @Test
    void migratesAndServesClientsTokensAndRevocations() throws Exception {
        Https.Response health = https.get(node.baseUrl() + "/health");
        String detail = String.valueOf(((Map<?, ?>) health.json().get("database")).get("detail"));
        check(detail.matches(".*schema consents v1, core v[0-9]+, settings v1, users v2.*"), "schema on MariaDB: " + health);

        String out = node.shell("obkm:client-create --name it-mariadb --scopes accounts --auth-method client_secret_basic"
                + " --profile none --json");
        Map<String, Object> m = Https.Response.parseJson(out.lines().map(String::trim).filter(l -> l.startsWith("{"))
                .findFirst().orElseThrow(() -> new AssertionError("no JSON from obkm:client-create:\n" + out)));
        String basic = Https.basic(m.get("client_id").toString(), m.get("client_secret").toString());

        Https.Response token = https.postForm(node.baseUrl() + "/oauth2/token",
                Https.form("grant_type", "client_credentials", "scope", "accounts"), "Authorization", basic);
        check(token.status() == 200, "token on MariaDB: " + token);
        String at = token.string("access_token");
        check(Boolean.TRUE.equals(introspect(at, basic).json().get("active")), "fresh token active");
        Https.Response revoke = https.postForm(node.baseUrl() + "/oauth2/revoke", Https.form("token", at),
                "Authorization", basic);
        check(revoke.status() == 200, "revoke on MariaDB: " + revoke);
        check(Boolean.FALSE.equals(introspect(at, basic).json().get("active")), "revoked token inactive");

        node.shell("obkm:client-delete " + m.get("client_id"));
        Https.Response refused = https.postForm(node.baseUrl() + "/oauth2/token",
                Https.form("grant_type", "client_credentials", "scope", "accounts"), "Authorization", basic);
        check(refused.status() == 401, "token for a deleted client: " + refused);
        // Known and left for now (stop note): when etc/org.apache.aries.jpa.obkm.cfg exists at start, Aries JPA
        // may get it before its DataSource and configadmin logs one ERROR "has incomplete configuration";
        // the unit comes up a moment later. Every other ERROR of the database bundles fails the test.
        check(!node.logHasLine(l -> l.contains("| ERROR |") && !l.contains("has incomplete configuration")
                && !l.contains("Unexpected problem updating configuration org.apache.aries.jpa.obkm")
                && (l.contains("persistence") || l.contains("jdbc")
                || l.contains("eclipse") || l.contains("mariadb") || l.contains("jpa"))),
                "ERROR lines of the database bundles in node M's log");
    }

    private static Https.Response introspect(String token, String basic) {
        Https.Response r = https.postForm(node.baseUrl() + "/oauth2/introspect", Https.form("token", token),
                "Authorization", basic);
        check(r.status() == 200, "introspection: " + r);
        return r;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + "\n" + node.logTail(60));
        }
    }
}
