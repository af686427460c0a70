package org.obkm.persistence.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

    private JdbcDataSource dataSource;

    @BeforeEach
    void freshDatabase() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:migrate" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    }

    @Test
    void createsTheSchemaOnAnEmptyDatabase() throws SQLException {
        assertEquals(SchemaMigrator.SCRIPTS.size(), new SchemaMigrator(dataSource).migrate());
        assertEquals(0, count("SELECT COUNT(*) FROM obkm_client"));
        assertEquals(SchemaMigrator.SCRIPTS.size(), count("SELECT COUNT(*) FROM obkm_schema_version"));
    }

    @Test
    void migratingTwiceChangesNothing() throws SQLException {
        new SchemaMigrator(dataSource).migrate();
        exec("INSERT INTO obkm_revoked_token (token_id, client_id, expires_at, revoked_at) VALUES ('t', 'c', 1, 1)");
        assertEquals(SchemaMigrator.SCRIPTS.size(), new SchemaMigrator(dataSource).migrate());
        assertEquals(1, count("SELECT COUNT(*) FROM obkm_revoked_token"), "data survives a restart");
    }

    @Test
    void refusesAnAppliedMigrationWhoseTextChanged() throws SQLException {
        new SchemaMigrator(dataSource).migrate();
        exec("UPDATE obkm_schema_version SET checksum = 'tampered' WHERE version = 1");
        SQLException e = assertThrows(SQLException.class, () -> new SchemaMigrator(dataSource).migrate());
        assertTrue(e.getMessage().contains("was changed after it was applied"), e.getMessage());
    }

    @Test
    void splitsScriptsAtLineEndingSemicolonsAndDropsComments() {
        List<String> s = SchemaMigrator.statements("-- c\nCREATE TABLE a (x INT);\n\nCREATE INDEX i\n  ON a (x);\n");
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE INDEX i\n  ON a (x)"), s);
    }

    @Test
    void readsTheVersionFromTheScriptName() {
        assertEquals(12, SchemaMigrator.versionOf("V12__more.sql"));
    }

    private int count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void exec(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
