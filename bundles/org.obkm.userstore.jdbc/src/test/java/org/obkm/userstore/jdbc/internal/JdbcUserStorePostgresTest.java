package org.obkm.userstore.jdbc.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.postgresql.ds.PGSimpleDataSource;
import org.obkm.persistence.internal.SchemaMigrator;

/**
 * The contracts of this bundle on the PostgreSQL answering at 127.0.0.1:5432 (database {@code test},
 * user {@code postgres}, trust authentication), as {@code org.obkm.persistence}'s PostgreSQL tests
 * do: each test in a schema of its own that is dropped after it. Skipped when no PostgreSQL answers
 * there.
 */
class JdbcUserStorePostgresTest {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 5432;

    private String schema;

    @BeforeAll
    static void postgresAnswers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 500);
        } catch (IOException e) {
            Assumptions.abort("no PostgreSQL at " + HOST + ":" + PORT + " (" + e.getMessage() + ")");
        }
    }

    @Nested
    class Store extends JdbcUserStoreContract {
        @Override
        DataSource freshDatabase() throws SQLException {
            DataSource ds = emptySchema();
            new SchemaMigrator(ds).migrate();
            return ds;
        }
    }

    @Nested
    class Domains extends UserDomainsContract {
        @Override
        DataSource freshDatabase() throws SQLException {
            DataSource ds = emptySchema();
            new SchemaMigrator(ds).migrate();
            return ds;
        }
    }

    @Nested
    class Migration extends UserDomainsMigrationContract {
        @Override
        DataSource emptyDatabase() throws SQLException {
            return emptySchema();
        }
    }

    DataSource emptySchema() throws SQLException {
        schema = "obkm_user_test_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return dataSource(schema);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
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
