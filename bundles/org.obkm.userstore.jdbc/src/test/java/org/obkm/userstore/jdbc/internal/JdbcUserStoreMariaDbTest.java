package org.obkm.userstore.jdbc.internal;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.obkm.persistence.internal.MariaDbDatabase;
import org.obkm.persistence.internal.SchemaMigrator;

/**
 * The contracts of this bundle on MariaDB ({@link MariaDbDatabase} of {@code org.obkm.persistence}'s
 * test jar: the one at 127.0.0.1:3306, else a throwaway one, else skipped), each test in a database of
 * its own, migrated by the MariaDB/MySQL scripts, and dropped after it. Not the legacy ledger contract:
 * no release before the per-module ledger ran on MariaDB.
 */
class JdbcUserStoreMariaDbTest {

    private final MariaDbDatabase database = new MariaDbDatabase("obkm_user_test");

    @BeforeAll
    static void mariaDbAnswers() {
        MariaDbDatabase.assumeAvailable();
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
            return database.create();
        }
    }


    DataSource migrated() throws SQLException {
        DataSource ds = database.create();
        new SchemaMigrator(ds).migrate(new UserSchema());
        return ds;
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        database.drop();
    }
}
