package org.obkm.userstore.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.obkm.api.user.UserStore;

/**
 * The users of one domain in the table {@code obkm_user}, by plain JDBC. Every query by username is
 * limited to the domain (usernames are unique per domain since version 2 of schema module users); ids are unique
 * across domains, and a lookup by id is limited to the domain too, so no store sees another's users.
 * Every change of lockout state is one conditional UPDATE, never a read followed by a write, so that
 * nodes sharing the database count failures together and a lock set by one is honoured by all. Times
 * are epoch milliseconds.
 */
final class UserTable {

    /** A row; {@code lockedUntil} null means no lockout after failed attempts. */
    record Row(String id, String username, String displayName, String passwordHash, int failedAttempts,
            Long lockedUntil, boolean lockedByAdmin, long createdAt, long updatedAt, String attributes) {

        boolean lockedAt(long now) {
            return lockedByAdmin || (lockedUntil != null && lockedUntil > now);
        }
    }

    /** The lock state after a failure was recorded. */
    record LockState(boolean byAdmin, Long until) {
    }

    private static final String COLUMNS = "id, username, display_name, password_hash, failed_attempts, locked_until,"
            + " locked_by_admin, created_at, updated_at, attributes";
    // Standard SQL evaluates every SET expression on the old row, so both CASEs see the same count.
    // A lockout that has run out starts the count again at 1.
    private static final String RECORD_FAILURE = "UPDATE obkm_user SET"
            + " failed_attempts = CASE WHEN locked_until IS NULL THEN failed_attempts + 1 ELSE 1 END,"
            + " locked_until = CASE WHEN (CASE WHEN locked_until IS NULL THEN failed_attempts + 1 ELSE 1 END)"
            + " >= CAST(? AS INT) THEN CAST(? AS BIGINT) ELSE NULL END"
            + " WHERE id = ? AND locked_by_admin = FALSE AND (locked_until IS NULL OR locked_until <= ?)";
    /**
     * {@link #RECORD_FAILURE} for MariaDB and MySQL, which assign left to right, each assignment seeing the
     * ones before it: locked_until reads the count just written.
     */
    private static final String RECORD_FAILURE_MYSQL = "UPDATE obkm_user SET"
            + " failed_attempts = CASE WHEN locked_until IS NULL THEN failed_attempts + 1 ELSE 1 END,"
            + " locked_until = CASE WHEN failed_attempts >= ? THEN ? ELSE NULL END"
            + " WHERE id = ? AND locked_by_admin = FALSE AND (locked_until IS NULL OR locked_until <= ?)";
    private static final String SCHEMA_MISSING = "the table obkm_user is missing or has no domain column: the shared"
            + " database is not at version 2 of schema module users (applied at start from this bundle's"
            + " V1__users.sql and V2__user_domains.sql; check the log of org.obkm.persistence): ";

    private final DataSource dataSource;
    private final String domain;
    private volatile boolean tableSeen;

    UserTable(DataSource dataSource, String domain) {
        this.dataSource = dataSource;
        this.domain = domain;
    }

    Optional<Row> find(String username) {
        return findBy("username", username);
    }

    Optional<Row> findById(String id) {
        return findBy("id", id);
    }

    private Optional<Row> findBy(String column, String value) {
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM obkm_user WHERE domain = ? AND " + column + " = ?")) {
            p.setString(1, domain);
            p.setString(2, value);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("reading a user", e);
        }
    }

    /** How many users the domain has. */
    long count() {
        try (Connection c = connection();
                PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM obkm_user WHERE domain = ?")) {
            p.setString(1, domain);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("counting users", e);
        }
    }

    List<Row> search(String filter, int limit) {
        boolean all = filter == null || filter.isBlank();
        String sql = "SELECT " + COLUMNS + " FROM obkm_user WHERE domain = ?"
                + (all ? "" : " AND (LOWER(username) LIKE ? ESCAPE '!' OR LOWER(display_name) LIKE ? ESCAPE '!')")
                + " ORDER BY username ";
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement(sql
                + (mysql(c) ? "LIMIT ?" : "FETCH FIRST ? ROWS ONLY"))) {
            int i = 1;
            p.setString(i++, domain);
            if (!all) {
                String like = "%" + filter.strip().toLowerCase(Locale.ROOT).replaceAll("([!%_])", "!$1") + "%";
                p.setString(i++, like);
                p.setString(i++, like);
            }
            p.setInt(i, limit);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure("listing users", e);
        }
    }

    /** Inserts a new user; a username taken in this domain is an {@link IllegalArgumentException}. */
    void insert(Row r) {
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement("INSERT INTO obkm_user (" + COLUMNS
                + ", domain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, r.id());
            p.setString(2, r.username());
            p.setString(3, r.displayName().isEmpty() ? null : r.displayName());
            p.setString(4, r.passwordHash());
            p.setInt(5, r.failedAttempts());
            p.setNull(6, Types.BIGINT);
            p.setBoolean(7, r.lockedByAdmin());
            p.setLong(8, r.createdAt());
            p.setLong(9, r.updatedAt());
            p.setString(10, r.attributes());
            p.setString(11, domain);
            p.executeUpdate();
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                throw new IllegalArgumentException("a user named " + r.username() + " already exists"
                        + (UserStore.PRIMARY.equals(domain) ? "" : " in user store " + domain));
            }
            throw failure("adding a user", e);
        }
    }

    /**
     * Counts a failed sign-in unless the user is locked, and locks the user until {@code lockUntil}
     * when the count reaches {@code threshold}; returns the lock state that results.
     */
    LockState recordFailure(String id, long now, int threshold, long lockUntil) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement p = c.prepareStatement(mysql(c) ? RECORD_FAILURE_MYSQL : RECORD_FAILURE)) {
                    p.setInt(1, threshold);
                    p.setLong(2, lockUntil);
                    p.setString(3, id);
                    p.setLong(4, now);
                    p.executeUpdate();
                }
                LockState state = new LockState(false, null);
                try (PreparedStatement p = c.prepareStatement(
                        "SELECT locked_by_admin, locked_until FROM obkm_user WHERE id = ?")) {
                    p.setString(1, id);
                    try (ResultSet rs = p.executeQuery()) {
                        if (rs.next()) {
                            state = new LockState(rs.getBoolean(1), nullableLong(rs, 2));
                        }
                    }
                }
                c.commit();
                return state;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("recording a failed sign-in", e);
        }
    }

    /**
     * Resets the failure count after a correct password, only if no lock was set meanwhile; returns
     * false when one was, and the sign-in must then be refused.
     */
    boolean recordSuccess(String id, long now) {
        return update("recording a sign-in", "UPDATE obkm_user SET failed_attempts = 0, locked_until = NULL"
                + " WHERE id = ? AND locked_by_admin = FALSE AND (locked_until IS NULL OR locked_until <= ?)", id, now);
    }

    /** Replaces a hash by a stronger one unless the password was changed meanwhile. */
    boolean replaceHash(String id, String oldHash, String newHash) {
        return update("upgrading a password hash",
                "UPDATE obkm_user SET password_hash = ? WHERE id = ? AND password_hash = ?", newHash, id, oldHash);
    }

    boolean setPassword(String username, String hash, long now) {
        return update("setting a password", "UPDATE obkm_user SET password_hash = ?, failed_attempts = 0,"
                + " locked_until = NULL, updated_at = ? WHERE domain = ? AND username = ?",
                hash, now, domain, username);
    }

    boolean lock(String username, long now) {
        return update("locking a user", "UPDATE obkm_user SET locked_by_admin = TRUE, updated_at = ?"
                + " WHERE domain = ? AND username = ?", now, domain, username);
    }

    boolean unlock(String username, long now) {
        return update("unlocking a user", "UPDATE obkm_user SET locked_by_admin = FALSE, failed_attempts = 0,"
                + " locked_until = NULL, updated_at = ? WHERE domain = ? AND username = ?", now, domain, username);
    }

    boolean delete(String username) {
        return update("deleting a user", "DELETE FROM obkm_user WHERE domain = ? AND username = ?", domain, username);
    }

    private boolean update(String what, String sql, Object... params) {
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] instanceof Long l) {
                    p.setLong(i + 1, l);
                } else {
                    p.setString(i + 1, (String) params[i]);
                }
            }
            return p.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** A connection, after making sure once that the table exists, with a message that says what to do if not. */
    /** MariaDB or MySQL, where a few statements are spelt differently (the driver caches the product name). */
    private static boolean mysql(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        return product.contains("mariadb") || product.contains("mysql");
    }

    private Connection connection() throws SQLException {
        Connection c = dataSource.getConnection();
        if (!tableSeen) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(domain) FROM obkm_user WHERE 1 = 0")) {
                tableSeen = true;
            } catch (SQLException e) {
                c.close();
                throw new IllegalStateException(SCHEMA_MISSING + e.getMessage(), e);
            }
        }
        return c;
    }

    private static Row row(ResultSet rs) throws SQLException {
        String displayName = rs.getString(3);
        return new Row(rs.getString(1), rs.getString(2), displayName == null ? "" : displayName, rs.getString(4),
                rs.getInt(5), nullableLong(rs, 6), rs.getBoolean(7), rs.getLong(8), rs.getLong(9), rs.getString(10));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** A unique violation: SQLSTATE 23505 on H2 and PostgreSQL, error 1062 (ER_DUP_ENTRY, 23000) on MariaDB and MySQL. */
    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("23505".equals(s.getSQLState()) || s.getErrorCode() == 1062 && "23000".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("database error while " + what + ": " + e.getMessage(), e);
    }
}
