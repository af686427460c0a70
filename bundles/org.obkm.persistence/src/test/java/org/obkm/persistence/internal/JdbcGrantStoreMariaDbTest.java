package org.obkm.persistence.internal;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link JdbcGrantStore} on MariaDB ({@link MariaDbDatabase}: the one at 127.0.0.1:3306, else a
 * throwaway one, else skipped), each test in a database of its own, migrated by the MariaDB/MySQL
 * scripts, and dropped after it.
 */
class JdbcGrantStoreMariaDbTest extends JdbcGrantStoreContract {

    private final MariaDbDatabase database = new MariaDbDatabase("obkm_grant_test");

    @BeforeAll
    static void mariaDbAnswers() {
        MariaDbDatabase.assumeAvailable();
    }

    @Override
    DataSource freshDatabase() throws SQLException {
        return database.create();
    }

    @Override
    int raceRounds() {
        return 5;
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        database.drop();
    }
}
