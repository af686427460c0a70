package org.obkm.persistence.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** {@link JdbcGrantStore} on H2 (MVStore, as a single node runs it), in memory. */
class JdbcGrantStoreTest extends JdbcGrantStoreContract {

    @Override
    DataSource freshDatabase() {
        return h2("grants");
    }

    @Override
    int raceRounds() {
        return 20;
    }

    private static JdbcDataSource h2(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + name + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    @Test
    void databaseFailuresAreIllegalStateExceptionsThatSayWhatFailed() {
        JdbcGrantStore unmigrated = new JdbcGrantStore(h2("empty"), new DatabaseSchema(null));
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> unmigrated.useCode("c1", Instant.now()));
            assertTrue(e.getMessage().startsWith("database error while using an authorization code: "), e.getMessage());
            assertThrows(IllegalStateException.class, () -> unmigrated.createGrant(grant("g1", "alice", T0)));
            assertThrows(IllegalStateException.class, () -> unmigrated.isGrantRevoked("g1"));
            assertThrows(IllegalStateException.class, () -> unmigrated.purgeExpired(T0));
        } finally {
            unmigrated.deactivate();
        }
    }
}
