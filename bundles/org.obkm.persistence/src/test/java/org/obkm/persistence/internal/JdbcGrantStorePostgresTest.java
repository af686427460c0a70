package org.obkm.persistence.internal;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link JdbcGrantStore} on the PostgreSQL of {@link PostgresSchema} (local on 5432, else embedded), each
 * test in a schema of its own that is dropped after it. Skipped when no PostgreSQL answers there.
 */
class JdbcGrantStorePostgresTest extends JdbcGrantStoreContract {

    private final PostgresSchema schema = new PostgresSchema("obkm_grant_test");

    @BeforeAll
    static void postgresAnswers() {
        PostgresSchema.assumeRunning();
    }

    @Override
    DataSource freshDatabase() throws SQLException {
        return schema.create();
    }

    @Override
    int raceRounds() {
        return 5;
    }

    @AfterEach
    void dropSchema() throws SQLException {
        schema.drop();
    }
}
