package org.obkm.userstore.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.obkm.persistence.internal.SchemaMigrator;

/**
 * The shared database's schema for tests, from the real migration scripts of
 * {@code org.obkm.persistence} on the test class path.
 */
final class TestSchema {

    static final String V4 = "V4__user_domains.sql";

    private TestSchema() {
    }

    /**
     * Migrates as a node does, to the newest version. Applies V4 itself only when the migrator at hand
     * does not list it yet, so that these tests also run against a persistence bundle built before it
     * did; with one that lists it, this is exactly {@link SchemaMigrator#migrate()}.
     */
    static void migrate(DataSource dataSource) throws SQLException {
        new SchemaMigrator(dataSource).migrate();
        if (!applied(dataSource, 4)) {
            apply(dataSource, V4);
        }
    }

    /** Runs one migration script by name, outside the migrator's bookkeeping. */
    static void apply(DataSource dataSource, String script) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements(load(script))) {
                s.execute(statement);
            }
        }
    }

    private static boolean applied(DataSource dataSource, int version) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM obkm_schema_version WHERE version = " + version)) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    /** As the migrator splits: at semicolons that end a line, comment lines dropped. */
    private static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                out.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        return out;
    }

    private static String load(String script) {
        String path = "org/obkm/persistence/internal/migration/" + script;
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the test class path: install"
                        + " bundles/org.obkm.persistence first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
