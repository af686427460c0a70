package org.obkm.userstore.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.obkm.api.user.AuthenticationResult;

/**
 * What the store contracts share: a fresh database per test (from the subclass: H2 or PostgreSQL), a
 * clock the test moves, and the primary store on them.
 */
abstract class JdbcStoreFixture {

    static final String PASSWORD = "correct horse battery";
    static final int ITERATIONS = 1_000;

    DataSource dataSource;
    MutableClock clock;
    JdbcUserStore store;

    /** An empty database at the newest schema version. */
    abstract DataSource freshDatabase() throws SQLException;

    @BeforeEach
    void setUp() throws SQLException {
        dataSource = freshDatabase();
        clock = new MutableClock();
        store = newStore(ITERATIONS);
    }

    /** Another store on the same database, as another node would have. */
    JdbcUserStore newStore(int iterations) {
        return new JdbcUserStore(dataSource, new Settings(iterations, 5, 900, 12), clock);
    }

    AuthenticationResult signIn(String username, String password) {
        return store.authenticate(username, password.toCharArray());
    }

    /** The first column of the first row of a query. */
    int intOf(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql);
                ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
