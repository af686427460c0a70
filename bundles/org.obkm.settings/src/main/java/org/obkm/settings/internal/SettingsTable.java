package org.obkm.settings.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * The rows of {@code obkm_setting} by plain JDBC. A change first locks and bumps the one row of
 * {@code obkm_setting_version} in the same transaction, so that changes from several nodes are
 * serialised and every row's version is unique and grows in commit order: a node that has applied
 * version N needs exactly the rows above N.
 */
final class SettingsTable {

    /** One row; {@code value} null once unset; a secret's value is its ciphertext. */
    record Row(String pid, String key, String value, boolean secret, long version, String updatedBy, long updatedAt) {
    }

    private static final String COLUMNS = "pid, setting_key, setting_value, secret, version, updated_by, updated_at";

    private final DataSource dataSource;

    SettingsTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The rows changed after {@code version} (all rows for 0), unset ones included, oldest first. */
    List<Row> since(long version) {
        return query("SELECT " + COLUMNS + " FROM obkm_setting WHERE version > ? ORDER BY version", version);
    }

    /** The newest version handed out. */
    long version() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("SELECT version FROM obkm_setting_version WHERE id = 1");
                ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw failure("reading the settings version", e);
        }
    }

    /** Writes (or, with a null value, unsets) one setting under a new version; returns the version. */
    long write(String pid, String key, String value, boolean secret, String by) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                long version = bump(c);
                long now = System.currentTimeMillis();
                try (PreparedStatement u = c.prepareStatement("UPDATE obkm_setting SET setting_value = ?, secret = ?,"
                        + " version = ?, updated_by = ?, updated_at = ? WHERE pid = ? AND setting_key = ?")) {
                    bind(u, value, secret, version, by, now);
                    u.setString(6, pid);
                    u.setString(7, key);
                    if (u.executeUpdate() == 0) {
                        try (PreparedStatement i = c.prepareStatement("INSERT INTO obkm_setting (setting_value, secret,"
                                + " version, updated_by, updated_at, pid, setting_key) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                            bind(i, value, secret, version, by, now);
                            i.setString(6, pid);
                            i.setString(7, key);
                            i.executeUpdate();
                        }
                    }
                }
                c.commit();
                return version;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failure("writing setting " + pid + " " + key, e);
        }
    }

    private static long bump(Connection c) throws SQLException {
        // The UPDATE takes the row lock (held to commit) before the new value is read.
        try (PreparedStatement u = c.prepareStatement("UPDATE obkm_setting_version SET version = version + 1 WHERE id = 1")) {
            if (u.executeUpdate() != 1) {
                throw new IllegalStateException("the settings version row is missing (obkm_setting_version)");
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT version FROM obkm_setting_version WHERE id = 1");
                ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void bind(PreparedStatement p, String value, boolean secret, long version, String by, long now)
            throws SQLException {
        p.setString(1, value);
        p.setBoolean(2, secret);
        p.setLong(3, version);
        p.setString(4, by.length() > 200 ? by.substring(0, 200) : by);
        p.setLong(5, now);
    }

    private List<Row> query(String sql, long version) {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setLong(1, version);
            try (ResultSet rs = p.executeQuery()) {
                List<Row> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getLong(5),
                            rs.getString(6), rs.getLong(7)));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw failure("reading the cluster's settings", e);
        }
    }

    /** The message names the operation and the SQL state, never a value. */
    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("database failure " + what + " (SQL state " + e.getSQLState() + ")");
    }
}
