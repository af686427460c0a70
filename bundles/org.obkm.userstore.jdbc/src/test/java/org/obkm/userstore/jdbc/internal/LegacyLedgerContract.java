package org.obkm.userstore.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.schema.SchemaMigrations;
import org.obkm.persistence.internal.SchemaMigrator;

/**
 * A database made by a release with one global schema ledger ({@code obkm_schema_version}, versions 1
 * to 5, the user tables at versions 2 and 4 of {@code org.obkm.persistence}) is taken over by the
 * per-module ledger: nothing is applied again, no row is lost, and each module goes on from its own
 * version. {@link LegacyLedgerTest} runs it on H2, {@link JdbcUserStorePostgresTest} on PostgreSQL.
 */
abstract class LegacyLedgerContract {

    /** The old global order: each version's module and script now (the text is unchanged). */
    private static final List<Object[]> OLD_RELEASE = List.of(
            new Object[] {1, "V1__initial_schema.sql", SchemaMigrator.CORE, "V1__initial_schema.sql"},
            new Object[] {2, "V2__users.sql", new UserSchema(), "V1__users.sql"},
            new Object[] {3, "V3__grants.sql", SchemaMigrator.CORE, "V3__grants.sql"},
            new Object[] {4, "V4__user_domains.sql", new UserSchema(), "V2__user_domains.sql"},
            new Object[] {5, "V5__client_policy.sql", SchemaMigrator.CORE, "V5__client_policy.sql"});

    private static final int NEWEST_CORE = SchemaMigrator.newestCoreVersion();

    private DataSource dataSource;

    /** An empty database, without any schema. */
    abstract DataSource emptyDatabase() throws SQLException;

    /** What the release before per-module ledgers left: its bookkeeping, its five versions, a user. */
    @BeforeEach
    void madeByTheOldRelease() throws Exception {
        dataSource = emptyDatabase();
        exec("CREATE TABLE obkm_schema_lock (id INT PRIMARY KEY)");
        exec("INSERT INTO obkm_schema_lock (id) VALUES (1)");
        exec("CREATE TABLE obkm_schema_version (version INT PRIMARY KEY, script VARCHAR(200) NOT NULL,"
                + " checksum VARCHAR(64) NOT NULL, installed_at BIGINT NOT NULL)");
        for (Object[] v : OLD_RELEASE) {
            String sql = ((SchemaMigrations) v[2]).load((String) v[3]);
            for (String statement : SchemaMigrator.statements(sql)) {
                exec(statement);
            }
            try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                    "INSERT INTO obkm_schema_version (version, script, checksum, installed_at) VALUES (?, ?, ?, ?)")) {
                p.setInt(1, (Integer) v[0]);
                p.setString(2, (String) v[1]);
                p.setString(3, sha256(sql));
                p.setLong(4, 1_000L * (Integer) v[0]);
                p.executeUpdate();
            }
        }
        exec("INSERT INTO obkm_user (id, domain, username, created_at, updated_at) VALUES ('u-alice', 'PRIMARY', 'alice', 1, 1)");
        exec("INSERT INTO obkm_revoked_token (token_id, client_id, expires_at, revoked_at) VALUES ('t', 'c', 1, 1)");
    }

    @Test
    void adoptsTheOldLedgerWithoutApplyingAnythingAgain() throws SQLException {
        SchemaMigrator migrator = new SchemaMigrator(dataSource);
        assertEquals(2, migrator.migrate(new UserSchema()), "users is at its version 2, from old versions 2 and 4");
        assertEquals(NEWEST_CORE, migrator.migrate(), "core goes on from 5 with what came after it");
        assertEquals(List.of(List.of("core", 1, "V1__initial_schema.sql", 1000L),
                List.of("core", 3, "V3__grants.sql", 3000L), List.of("core", 5, "V5__client_policy.sql", 5000L),
                List.of("users", 1, "V1__users.sql", 2000L), List.of("users", 2, "V2__user_domains.sql", 4000L)),
                rows("SELECT module, version, script, installed_at FROM obkm_schema_migration WHERE installed_at < 10000"
                        + " ORDER BY module, version"),
                "each old row under its module, with its old installation time: nothing was applied again");
        assertEquals(1, count("SELECT COUNT(*) FROM obkm_user"));
        assertEquals(1, count("SELECT COUNT(*) FROM obkm_revoked_token"));
        assertEquals(SchemaMigrator.CORE.scripts().size() - 3, count("SELECT COUNT(*) FROM obkm_schema_migration"
                + " WHERE module = 'core' AND version > 5 AND installed_at >= 10000"), "only the core scripts after 5 were applied now");
        assertEquals(5, count("SELECT COUNT(*) FROM obkm_schema_version"), "the old ledger is left as it was");
        JdbcUserStore primary = new JdbcUserStore(dataSource, new Settings(1_000, 5, 900, 12), new MutableClock());
        assertEquals("u-alice", primary.findByUsername("alice").orElseThrow().id());
    }

    @Test
    void adoptsOnceWhicheverModuleMigratesFirst() throws SQLException {
        SchemaMigrator migrator = new SchemaMigrator(dataSource);
        assertEquals(NEWEST_CORE, migrator.migrate());
        exec("DELETE FROM obkm_schema_version WHERE version = 4");
        assertEquals(2, migrator.migrate(new UserSchema()), "the ledger was taken over already; the old one is not read again");
        assertEquals(2, count("SELECT COUNT(*) FROM obkm_schema_migration WHERE module = 'users'"));
    }

    @Test
    void anOldScriptWhoseTextChangedIsStillRefused() throws SQLException {
        exec("UPDATE obkm_schema_version SET checksum = 'tampered' WHERE version = 4");
        SchemaMigrator migrator = new SchemaMigrator(dataSource);
        assertEquals(NEWEST_CORE, migrator.migrate(), "core is not concerned");
        SQLException e = assertThrows(SQLException.class, () -> migrator.migrate(new UserSchema()));
        assertTrue(e.getMessage().contains("users/V2__user_domains.sql was changed after it was applied"), e.getMessage());
    }

    @Test
    void aVersionOfANewerReleaseStopsTheMigration() throws SQLException {
        exec("INSERT INTO obkm_schema_version (version, script, checksum, installed_at) VALUES (99, 'V99__x.sql', 'x', 1)");
        SQLException e = assertThrows(SQLException.class, () -> new SchemaMigrator(dataSource).migrate());
        assertTrue(e.getMessage().contains("obkm_schema_version has version 99"), e.getMessage());
        assertEquals(0, count("SELECT COUNT(*) FROM obkm_schema_migration"), "nothing adopted, all rolled back");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private void exec(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private int count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(List.of(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4)));
            }
        }
        return out;
    }
}
