package org.obkm.persistence.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An empty schema of its own, per test, on the PostgreSQL answering at 127.0.0.1:5432 (database
 * {@code test}, user {@code postgres}, trust authentication), dropped again by {@link #drop()}. Shared
 * with other bundles' tests through this module's test jar.
 */
public final class PostgresSchema {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 5432;

    private final String prefix;
    private String schema;

    /** @param prefix the start of the schema names, such as {@code obkm_grant_test} */
    public PostgresSchema(String prefix) {
        this.prefix = prefix;
    }

    /** Skips the calling tests (JUnit assumption) when no PostgreSQL answers. */
    public static void assumeRunning() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 500);
        } catch (IOException e) {
            Assumptions.abort("no PostgreSQL at " + HOST + ":" + PORT + " (" + e.getMessage() + ")");
        }
    }

    /** A new empty schema, the DataSource's current schema. */
    public DataSource create() throws SQLException {
        schema = prefix + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return dataSource(schema);
    }

    /** Drops the schema made last, if any. */
    public void drop() throws SQLException {
        if (schema != null) {
            try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            schema = null;
        }
    }

    private static PGSimpleDataSource dataSource(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {HOST});
        ds.setPortNumbers(new int[] {PORT});
        ds.setDatabaseName("test");
        ds.setUser("postgres");
        ds.setConnectTimeout(5);
        if (schema != null) {
            ds.setCurrentSchema(schema);
        }
        return ds;
    }
}
