package org.obkm.persistence.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.schema.SchemaMigrations;

class SchemaMigratorTest {

    private JdbcDataSource dataSource;

    @BeforeEach
    void freshDatabase() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:migrate" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    }

    private static final int NEWEST = SchemaMigrator.newestCoreVersion();

    @Test
    void createsTheSchemaOnAnEmptyDatabase() throws SQLException {
        assertEquals(NEWEST, new SchemaMigrator(dataSource).migrate());
        assertEquals(0, count("SELECT COUNT(*) FROM obkm_client"));
        assertEquals(SchemaMigrator.SCRIPTS.size(), count("SELECT COUNT(*) FROM obkm_schema_migration WHERE module = 'core'"));
        assertEquals(0, count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'OBKM_USER'"),
                "the user tables are module users', not this bundle's");
    }

    @Test
    void migratingTwiceChangesNothing() throws SQLException {
        new SchemaMigrator(dataSource).migrate();
        exec("INSERT INTO obkm_revoked_token (token_id, client_id, expires_at, revoked_at) VALUES ('t', 'c', 1, 1)");
        assertEquals(NEWEST, new SchemaMigrator(dataSource).migrate());
        assertEquals(1, count("SELECT COUNT(*) FROM obkm_revoked_token"), "data survives a restart");
    }

    @Test
    void refusesAnAppliedMigrationWhoseTextChanged() throws SQLException {
        new SchemaMigrator(dataSource).migrate();
        exec("UPDATE obkm_schema_migration SET checksum = 'tampered' WHERE module = 'core' AND version = 1");
        SQLException e = assertThrows(SQLException.class, () -> new SchemaMigrator(dataSource).migrate());
        assertTrue(e.getMessage().contains("core/V1__initial_schema.sql was changed after it was applied"), e.getMessage());
    }

    @Test
    void eachModuleKeepsItsOwnVersions() throws SQLException {
        SchemaMigrator migrator = new SchemaMigrator(dataSource);
        migrator.migrate();
        TestModule widgets = new TestModule("widgets", Map.of(
                "V1__widgets.sql", "CREATE TABLE widget (id INT PRIMARY KEY);",
                "V2__widget_name.sql", "ALTER TABLE widget ADD COLUMN name VARCHAR(20);"));
        assertEquals(1, migrator.migrateTo(widgets, 1));
        assertEquals(2, migrator.migrate(widgets), "a module's version 2 is its own, whatever core's versions are");
        exec("INSERT INTO widget (id, name) VALUES (1, 'w')");
        assertEquals(2, migrator.migrate(widgets));
        assertEquals(NEWEST, migrator.migrate(), "core is unchanged by another module");
        assertEquals(2, count("SELECT COUNT(*) FROM obkm_schema_migration WHERE module = 'widgets'"));
        assertEquals(1, count("SELECT COUNT(*) FROM widget"));
    }

    @Test
    void aFailingScriptIsNotRecordedAndHoldsBackItsModuleOnly() throws SQLException {
        SchemaMigrator migrator = new SchemaMigrator(dataSource);
        TestModule broken = new TestModule("broken", Map.of(
                "V1__ok.sql", "CREATE TABLE ok_table (id INT PRIMARY KEY);",
                "V2__bad.sql", "ALTER TABLE no_such_table ADD COLUMN x INT;"));
        assertThrows(SQLException.class, () -> migrator.migrate(broken));
        // H2 commits at each DDL statement (PostgreSQL would roll V1 back too); either way V2 is not recorded.
        assertEquals(0, count("SELECT COUNT(*) FROM obkm_schema_migration WHERE module = 'broken' AND version = 2"));
        assertEquals(NEWEST, migrator.migrate(), "other modules still migrate");
    }

    @Test
    void refusesBadModuleNamesAndScriptsOutOfOrder() {
        SchemaMigrator migrator = new SchemaMigrator(dataSource);
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> migrator.migrate(new TestModule("Users; DROP", Map.of())));
        assertTrue(name.getMessage().contains("is not lower case letters"), name.getMessage());
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class, () -> migrator.migrate(
                new TestModule("m", List.of("V2__b.sql", "V1__a.sql"), Map.of("V1__a.sql", "", "V2__b.sql", ""))));
        assertTrue(order.getMessage().contains("V1__a.sql does not come after version 2"), order.getMessage());
        assertThrows(IllegalArgumentException.class, () -> migrator.migrate(new TestModule("m", Map.of("users.sql", ""))));
    }

    /** A module whose scripts are given in the test; in the order of their names unless given. */
    record TestModule(String module, List<String> scripts, Map<String, String> texts) implements SchemaMigrations {
        TestModule(String module, Map<String, String> texts) {
            this(module, texts.keySet().stream().sorted().toList(), texts);
        }

        @Override
        public String load(String script) {
            return texts.get(script);
        }
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
