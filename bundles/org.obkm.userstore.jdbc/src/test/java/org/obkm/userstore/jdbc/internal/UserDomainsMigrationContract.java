package org.obkm.userstore.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.user.AuthenticationResult.Outcome;
import org.obkm.api.user.User;
import org.obkm.api.user.UserStore;
import org.obkm.persistence.internal.SchemaMigrator;

/**
 * Version 2 of schema module users ({@code V2__user_domains.sql}) on a database that has users already: they stay, as
 * users of the {@value UserStore#PRIMARY} domain, and usernames become unique per domain.
 * {@link UserDomainsMigrationTest} runs it on H2, {@link JdbcUserStorePostgresTest} on PostgreSQL.
 */
abstract class UserDomainsMigrationContract {

    private static final String COLUMNS = "id, username, display_name, password_hash, failed_attempts, locked_until,"
            + " locked_by_admin, created_at, updated_at, attributes";
    private static final String PASSWORD = "correct horse battery";

    private DataSource dataSource;

    /** An empty database, without any schema. */
    abstract DataSource emptyDatabase() throws SQLException;

    @BeforeEach
    void atUsersVersion1WithUsers() throws SQLException {
        dataSource = emptyDatabase();
        new SchemaMigrator(dataSource).migrate();
        new SchemaMigrator(dataSource).migrateTo(new UserSchema(), 1);
        String hash = new PasswordHasher().hash(PASSWORD.toCharArray(), 1_000);
        insert("INSERT INTO obkm_user (" + COLUMNS + ") VALUES ('u-alice', 'alice', 'Alice Archer', '" + hash
                + "', 0, NULL, FALSE, 10, 20, '{\"email\":\"alice@bank.example\"}')");
        insert("INSERT INTO obkm_user (" + COLUMNS + ") VALUES ('u-bob', 'bob', NULL, '" + hash
                + "', 3, 4102444800000, TRUE, 11, 21, NULL)");
    }

    @Test
    void keepsEveryUserAndColumnAsUsersOfThePrimaryDomain() throws SQLException {
        List<List<Object>> before = rows("SELECT " + COLUMNS + " FROM obkm_user ORDER BY id");
        new SchemaMigrator(dataSource).migrateTo(new UserSchema(), 2);
        assertEquals(before, rows("SELECT " + COLUMNS + " FROM obkm_user ORDER BY id"));
        assertEquals(List.of(List.of("PRIMARY"), List.of("PRIMARY")), rows("SELECT domain FROM obkm_user"));
    }

    @Test
    void thePrimaryStoreServesTheMigratedUsers() throws SQLException {
        new SchemaMigrator(dataSource).migrateTo(new UserSchema(), 2);
        JdbcUserStore primary = new JdbcUserStore(dataSource, new Settings(1_000, 5, 900, 12), new MutableClock());
        User alice = primary.authenticate("alice", PASSWORD.toCharArray()).user();
        assertEquals("u-alice", alice.id());
        assertEquals("Alice Archer", alice.displayName());
        assertEquals(List.of("alice@bank.example"), alice.attributes().get("email"));
        assertEquals(Outcome.LOCKED, primary.authenticate("bob", PASSWORD.toCharArray()).outcome());
        assertTrue(primary.findById("u-bob").orElseThrow().locked());
    }

    @Test
    void afterwardsAUsernameIsUniqueWithinItsDomainOnly() throws SQLException {
        new SchemaMigrator(dataSource).migrateTo(new UserSchema(), 2);
        insert("INSERT INTO obkm_user (id, domain, username, created_at, updated_at)"
                + " VALUES ('u-alice-2', 'EXAMPLE.COM', 'alice', 1, 1)");
        assertEquals("23505", violation("INSERT INTO obkm_user (id, domain, username, created_at, updated_at)"
                + " VALUES ('u-alice-3', 'EXAMPLE.COM', 'alice', 1, 1)"));
        assertEquals("23505", violation("INSERT INTO obkm_user (id, username, created_at, updated_at)"
                + " VALUES ('u-alice-4', 'alice', 1, 1)"), "the domain defaults to PRIMARY");
        assertEquals("23505", violation("INSERT INTO obkm_user (id, domain, username, created_at, updated_at)"
                + " VALUES ('u-alice', 'OTHER', 'someone', 1, 1)"), "ids stay unique across domains");
    }

    @Test
    void leavesNoTableBehind() throws SQLException {
        new SchemaMigrator(dataSource).migrateTo(new UserSchema(), 2);
        assertThrows(SQLException.class, () -> rows("SELECT COUNT(*) FROM obkm_user_v4"));
        assertEquals(List.of(List.of(0L)), rows("SELECT COUNT(*) FROM obkm_grant"), "the core module's tables untouched");
    }

    private void insert(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private String violation(String sql) {
        SQLException e = assertThrows(SQLException.class, () -> insert(sql));
        // 23505 on H2 and PostgreSQL; MariaDB and MySQL say 23000 with error 1062, a duplicate entry.
        return e.getErrorCode() == 1062 && "23000".equals(e.getSQLState()) ? "23505" : e.getSQLState();
    }

    private List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql);
                ResultSet rs = p.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
