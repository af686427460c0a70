package org.obkm.userstore.jdbc.internal;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.obkm.persistence.internal.PostgresSchema;
import org.obkm.persistence.internal.SchemaMigrator;

/**
 * The contracts of this bundle on the PostgreSQL of {@link PostgresSchema} (local on 5432, else embedded
 * of {@code org.obkm.persistence}'s test jar): each test in a schema of its own that is dropped after
 * it. Skipped when no PostgreSQL answers there.
 */
class JdbcUserStorePostgresTest {

    private final PostgresSchema schema = new PostgresSchema("obkm_user_test");

    @BeforeAll
    static void postgresAnswers() {
        PostgresSchema.assumeRunning();
    }

    @Nested
    class Store extends JdbcUserStoreContract {
        @Override
        DataSource freshDatabase() throws SQLException {
            return migrated();
        }
    }

    @Nested
    class Lockout extends JdbcUserStoreLockoutContract {
        @Override
        DataSource freshDatabase() throws SQLException {
            return migrated();
        }
    }

    @Nested
    class Domains extends UserDomainsContract {
        @Override
        DataSource freshDatabase() throws SQLException {
            return migrated();
        }
    }

    @Nested
    class Migration extends UserDomainsMigrationContract {
        @Override
        DataSource emptyDatabase() throws SQLException {
            return schema.create();
        }
    }

    @Nested
    class Ledger extends LegacyLedgerContract {
        @Override
        DataSource emptyDatabase() throws SQLException {
            return schema.create();
        }
    }

    DataSource migrated() throws SQLException {
        DataSource ds = schema.create();
        new SchemaMigrator(ds).migrate(new UserSchema());
        return ds;
    }

    @AfterEach
    void dropSchema() throws SQLException {
        schema.drop();
    }
}
