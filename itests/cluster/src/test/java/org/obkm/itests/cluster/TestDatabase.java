package org.obkm.itests.cluster;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A fresh PostgreSQL database for one run: on the PostgreSQL answering at 127.0.0.1:5432 (trust
 * authentication, user postgres), else on an embedded PostgreSQL (io.zonky.test) started here.
 * {@code -Dobkm.it.postgres=local|embedded|auto} forces the choice (default auto).
 */
final class TestDatabase implements AutoCloseable {

    static final String USER = "postgres";
    static final String PASSWORD = "x";

    final String name;
    final int port;
    final String kind;
    private final EmbeddedPostgres embedded;

    private TestDatabase(String name, int port, String kind, EmbeddedPostgres embedded) {
        this.name = name;
        this.port = port;
        this.kind = kind;
        this.embedded = embedded;
    }

    static TestDatabase create() throws Exception {
        String mode = System.getProperty("obkm.it.postgres", "auto");
        EmbeddedPostgres embedded = null;
        int port = 5432;
        String kind = "local PostgreSQL at 127.0.0.1:5432";
        if ("embedded".equals(mode) || ("auto".equals(mode) && !answers(5432))) {
            // PostgreSQL 14 binaries from Maven Central, unpacked under java.io.tmpdir (works as root too).
            embedded = EmbeddedPostgres.builder().start();
            port = embedded.getPort();
            kind = "embedded PostgreSQL (io.zonky.test) at 127.0.0.1:" + port;
        }
        String name = "obkm_it_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"))
                + "_" + ThreadLocalRandom.current().nextInt(1000, 10000);
        TestDatabase db = new TestDatabase(name, port, kind, embedded);
        try (Connection c = db.admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        return db;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    private Connection admin() throws SQLException {
        SQLException first = null;
        for (String maintenance : new String[] {"postgres", "test", "template1"}) {
            try {
                return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + maintenance
                        + "?connectTimeout=5", USER, PASSWORD);
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first;
    }

    /** Drops the database, even with the (killed) nodes' connections still open. */
    @Override
    public void close() throws Exception {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
