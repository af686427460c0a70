package org.obkm.consent.internal;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.obkm.persistence.internal.PostgresSchema;

/**
 * {@link JdbcConsentServiceContract} on the PostgreSQL answering at 127.0.0.1:5432, each test in a
 * schema of its own, dropped after it (the schema of the missing-tables test too). Skipped when none answers.
 */
class JdbcConsentServicePostgresTest extends JdbcConsentServiceContract {

    private final PostgresSchema schemas = new PostgresSchema("obkm_consent_test");
    private final PostgresSchema extra = new PostgresSchema("obkm_consent_empty");
    private boolean first = true;

    @BeforeAll
    static void postgresAnswers() {
        PostgresSchema.assumeRunning();
    }

    @Override
    DataSource emptyDatabase() throws SQLException {
        if (first) {
            first = false;
            return schemas.create();
        }
        return extra.create();
    }

    @AfterEach
    void drop() throws SQLException {
        schemas.drop();
        extra.drop();
    }
}
