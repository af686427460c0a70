package org.obkm.userstore.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.obkm.api.user.AuthenticationResult.Outcome;
import org.obkm.persistence.internal.SchemaMigrator;

/** {@link JdbcUserStoreContract} on H2, each test on an in-memory database of its own. */
class JdbcUserStoreTest extends JdbcUserStoreContract {

    static JdbcDataSource h2(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + name + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    @Override
    DataSource freshDatabase() throws SQLException {
        JdbcDataSource ds = h2("users");
        new SchemaMigrator(ds).migrate(new UserSchema());
        return ds;
    }

    @Test
    void saysClearlyWhenTheTableIsMissing() {
        JdbcUserStore early = new JdbcUserStore(h2("empty"), new Settings(ITERATIONS, 5, 900, 12), clock);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> early.add("alice", null, PASSWORD.toCharArray()));
        assertTrue(e.getMessage().startsWith("the table obkm_user is missing"), e.getMessage());
        assertEquals(Outcome.UNAVAILABLE, early.authenticate("alice", PASSWORD.toCharArray()).outcome());
        assertThrows(IllegalStateException.class, () -> early.findById("0d4c1a6e-8f59-4c8e-9a53-cf7e8f2b7d11"));
    }

    @Test
    void saysClearlyWhenTheTableIsOlderThanVersion2OfTheUsersModule() throws SQLException {
        JdbcDataSource v1 = h2("v1");
        new SchemaMigrator(v1).migrateTo(new UserSchema(), 1);
        JdbcUserStore early = new JdbcUserStore(v1, new Settings(ITERATIONS, 5, 900, 12), clock);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> early.findByUsername("alice"));
        assertTrue(e.getMessage().contains("version 2 of schema module users"), e.getMessage());
        assertEquals(Outcome.UNAVAILABLE, early.authenticate("alice", PASSWORD.toCharArray()).outcome());
    }
}
