package org.obkm.persistence.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL migrations of this bundle, in order, each once, under a row lock so that
 * nodes starting together on one database do not race. An applied script whose text changed stops
 * the node with a clear message: the schema is never dropped and re-created.
 */
public final class SchemaMigrator {

    /** The migrations, in order. A new schema version is a new script appended here. */
    static final List<String> SCRIPTS = List.of("V1__initial_schema.sql", "V2__users.sql", "V3__grants.sql", "V4__user_domains.sql",
            "V5__client_policy.sql", "V6__client_jarm.sql");

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private final DataSource dataSource;

    public SchemaMigrator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Migrates to the newest version; returns that version. */
    public int migrate() throws SQLException {
        return migrateTo(Integer.MAX_VALUE);
    }

    /**
     * Migrates up to and including version {@code target} (an older schema, for tests of a later
     * migration on existing data); returns the version reached.
     */
    public int migrateTo(int target) throws SQLException {
        createBookkeepingTables();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c);
                Map<Integer, String> applied = applied(c);
                int version = 0;
                for (String script : SCRIPTS) {
                    if (versionOf(script) > target) {
                        break;
                    }
                    version = versionOf(script);
                    String sql = load(script);
                    String checksum = sha256(sql);
                    String known = applied.get(version);
                    if (known == null) {
                        apply(c, version, script, sql, checksum);
                    } else if (!known.equals(checksum)) {
                        throw new SQLException("schema migration " + script + " was changed after it was applied"
                                + " (checksum " + known + " in obkm_schema_version, " + checksum + " now)");
                    }
                }
                c.commit();
                return version;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void createBookkeepingTables() throws SQLException {
        String[] ddl = {
            "CREATE TABLE IF NOT EXISTS obkm_schema_lock (id INT PRIMARY KEY)",
            "CREATE TABLE IF NOT EXISTS obkm_schema_version (version INT PRIMARY KEY, script VARCHAR(200) NOT NULL,"
                    + " checksum VARCHAR(64) NOT NULL, installed_at BIGINT NOT NULL)",
        };
        for (int attempt = 1;; attempt++) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                for (String d : ddl) {
                    s.execute(d);
                }
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM obkm_schema_lock")) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        s.executeUpdate("INSERT INTO obkm_schema_lock (id) VALUES (1)");
                    }
                }
                return;
            } catch (SQLException e) {
                // Two nodes creating the same table at once: one loses on the catalogue's unique index.
                if (attempt >= 3) {
                    throw e;
                }
                LOG.debug("Retrying schema bookkeeping set-up after {}", e.getMessage());
            }
        }
    }

    private static void lock(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM obkm_schema_lock WHERE id = 1 FOR UPDATE")) {
            rs.next();
        }
    }

    private static Map<Integer, String> applied(Connection c) throws SQLException {
        Map<Integer, String> applied = new TreeMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, checksum FROM obkm_schema_version")) {
            while (rs.next()) {
                applied.put(rs.getInt(1), rs.getString(2));
            }
        }
        return applied;
    }

    private static void apply(Connection c, int version, String script, String sql, String checksum)
            throws SQLException {
        LOG.info("Applying schema migration {}", script);
        try (Statement s = c.createStatement()) {
            for (String statement : statements(sql)) {
                s.execute(statement);
            }
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO obkm_schema_version (version, script, checksum, installed_at) VALUES (?, ?, ?, ?)")) {
            p.setInt(1, version);
            p.setString(2, script);
            p.setString(3, checksum);
            p.setLong(4, System.currentTimeMillis());
            p.executeUpdate();
        }
    }

    /** Splits a script at semicolons that end a line, dropping comment lines. */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String stmt = current.toString().strip();
                out.add(stmt.substring(0, stmt.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    static int versionOf(String script) {
        return Integer.parseInt(script.substring(1, script.indexOf("__")));
    }

    private static String load(String script) {
        try (InputStream in = SchemaMigrator.class.getResourceAsStream("migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration script missing from the bundle: " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration script " + script, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
