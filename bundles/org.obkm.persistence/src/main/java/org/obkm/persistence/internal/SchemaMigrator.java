package org.obkm.persistence.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.obkm.api.schema.SchemaMigrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL migrations of one module (this bundle's own tables, {@link #CORE}, or another
 * bundle's {@link SchemaMigrations}), in order, each once, under a row lock so that nodes starting
 * together on one database do not race. Each module keeps its own versions in the ledger
 * {@code obkm_schema_migration (module, version)}. An applied script whose text changed stops the
 * module with a clear message: the schema is never dropped and re-created.
 *
 * <p>Databases made before modules had ledgers of their own kept one global version in
 * {@code obkm_schema_version}; its rows are adopted into the new ledger once, under the same lock, each
 * under the module and version its script has now ({@link #LEGACY}). That table is left as it was.
 */
public final class SchemaMigrator {

    /** This bundle's own tables: clients, keys, secrets, grants and revocations. */
    public static final String CORE_MODULE = "core";

    /** The migrations of this bundle's tables, in order. A new version is a new script appended here. */
    static final List<String> SCRIPTS = List.of("V1__initial_schema.sql", "V3__grants.sql", "V5__client_policy.sql",
            "V6__client_jarm.sql", "V7__client_software.sql");

    /** The version of this bundle's tables once migrated: that of the last of {@link #SCRIPTS}. */
    public static int newestCoreVersion() {
        return versionOf(SCRIPTS.get(SCRIPTS.size() - 1));
    }

    /** This bundle's migrations as a module, read from {@code migration/} beside this class. */
    public static final SchemaMigrations CORE = new SchemaMigrations() {
        @Override
        public String module() {
            return CORE_MODULE;
        }

        @Override
        public List<String> scripts() {
            return SCRIPTS;
        }

    };

    /**
     * Where each row of the old global ledger belongs now: its version, then the module and the
     * script (of unchanged text) that carries it. Versions 2 and 4 made the tables of
     * {@code org.obkm.userstore.jdbc}, which ships them itself since.
     */
    static final Map<Integer, Legacy> LEGACY = Map.of(
            1, new Legacy(CORE_MODULE, "V1__initial_schema.sql"),
            2, new Legacy("users", "V1__users.sql"),
            3, new Legacy(CORE_MODULE, "V3__grants.sql"),
            4, new Legacy("users", "V2__user_domains.sql"),
            5, new Legacy(CORE_MODULE, "V5__client_policy.sql"));

    record Legacy(String module, String script) {
        int version() {
            return versionOf(script);
        }
    }

    /** The dialect of MariaDB and MySQL: their scripts are {@code migration/mysql/<script>} where they differ. */
    static final String MYSQL = "mysql";

    private static final Pattern MODULE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern SCRIPT = Pattern.compile("V[0-9]{1,9}__[A-Za-z0-9_.-]{1,180}\\.sql");
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private final DataSource dataSource;

    public SchemaMigrator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Migrates this bundle's tables ({@link #CORE}) to their newest version; returns that version. */
    public int migrate() throws SQLException {
        return migrate(CORE);
    }

    /** Migrates {@code module} to its newest version; returns that version. */
    public int migrate(SchemaMigrations module) throws SQLException {
        return migrateTo(module, Integer.MAX_VALUE);
    }

    /** {@link #migrateTo(SchemaMigrations, int)} of this bundle's tables. */
    public int migrateTo(int target) throws SQLException {
        return migrateTo(CORE, target);
    }

    /**
     * Migrates {@code module} up to and including version {@code target} (an older schema, for tests
     * of a later migration on existing data); returns the version reached, 0 when none.
     */
    public int migrateTo(SchemaMigrations module, int target) throws SQLException {
        String name = checked(module);
        createBookkeepingTables();
        try (Connection c = dataSource.getConnection()) {
            String dialect = dialect(c);
            c.setAutoCommit(false);
            boolean named = MYSQL.equals(dialect) && namedLock(c);
            try {
                lock(c);
                adoptLegacyLedger(c);
                Map<Integer, String> applied = applied(c, name);
                int version = 0;
                for (String script : module.scripts()) {
                    int v = versionOf(script);
                    if (v > target) {
                        break;
                    }
                    version = v;
                    String sql = dialect == null ? module.load(script) : module.load(script, dialect);
                    String checksum = sha256(sql);
                    String known = applied.get(version);
                    if (known == null) {
                        apply(c, name, version, script, sql, checksum);
                    } else if (!known.equals(checksum)) {
                        throw new SQLException("schema migration " + name + "/" + script + " was changed after it was"
                                + " applied (checksum " + known + " in obkm_schema_migration, " + checksum + " now)");
                    }
                }
                c.commit();
                return version;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                if (named) {
                    releaseNamedLock(c);
                }
            }
        }
    }

    /**
     * The SQL dialect whose scripts ({@code migration/<dialect>/}) replace the portable ones: {@link #MYSQL}
     * for MariaDB and MySQL; null for H2 and PostgreSQL, which run the portable scripts.
     */
    static String dialect(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        return product.contains("mariadb") || product.contains("mysql") ? MYSQL : null;
    }

    /**
     * MariaDB and MySQL commit implicitly at each DDL statement, which ends the row lock of {@link #lock}:
     * a named lock of the connection's session holds across those commits, so two nodes starting at once
     * still migrate one after the other.
     */
    private static boolean namedLock(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT GET_LOCK('obkm_schema', 120)")) {
            if (!rs.next() || rs.getInt(1) != 1) {
                throw new SQLException("another node held the schema migration lock (GET_LOCK obkm_schema) for 120 s");
            }
            return true;
        }
    }

    private static void releaseNamedLock(Connection c) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT RELEASE_LOCK('obkm_schema')")) {
            rs.next();
        } catch (SQLException e) {
            LOG.warn("Releasing the schema migration lock failed ({}); it ends with the connection", e.getMessage());
        }
    }

    /** The module's name, once its name and scripts are known to be well formed and in order. */
    private static String checked(SchemaMigrations module) {
        String name = module.module();
        if (name == null || !MODULE.matcher(name).matches()) {
            throw new IllegalArgumentException("schema module name " + name + " is not lower case letters, digits"
                    + " and dashes (at most 64)");
        }
        int last = 0;
        for (String script : module.scripts()) {
            if (script == null || !SCRIPT.matcher(script).matches()) {
                throw new IllegalArgumentException("schema module " + name + ": script " + script
                        + " is not named V<version>__<description>.sql");
            }
            if (versionOf(script) <= last) {
                throw new IllegalArgumentException("schema module " + name + ": script " + script
                        + " does not come after version " + last);
            }
            last = versionOf(script);
        }
        return name;
    }

    private void createBookkeepingTables() throws SQLException {
        String[] ddl = {
            "CREATE TABLE IF NOT EXISTS obkm_schema_lock (id INT PRIMARY KEY)",
            "CREATE TABLE IF NOT EXISTS obkm_schema_migration (module VARCHAR(64) NOT NULL, version INT NOT NULL,"
                    + " script VARCHAR(200) NOT NULL, checksum VARCHAR(64) NOT NULL, installed_at BIGINT NOT NULL,"
                    + " CONSTRAINT obkm_schema_migration_pk PRIMARY KEY (module, version))",
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

    /**
     * Copies the rows of the old global ledger into the per-module one, once: when the new ledger is
     * still empty and the old one exists. Called under the lock, in the caller's transaction.
     */
    private static void adoptLegacyLedger(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM obkm_schema_migration")) {
            rs.next();
            if (rs.getInt(1) > 0 || !tableExists(c, "obkm_schema_version")) {
                return;
            }
        }
        int adopted = 0;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, checksum, installed_at FROM obkm_schema_version ORDER BY version");
                PreparedStatement insert = c.prepareStatement("INSERT INTO obkm_schema_migration"
                        + " (module, version, script, checksum, installed_at) VALUES (?, ?, ?, ?, ?)")) {
            while (rs.next()) {
                Legacy legacy = LEGACY.get(rs.getInt(1));
                if (legacy == null) {
                    throw new SQLException("obkm_schema_version has version " + rs.getInt(1) + ", which this release"
                            + " does not know: the database was migrated by a newer OBKM");
                }
                insert.setString(1, legacy.module());
                insert.setInt(2, legacy.version());
                insert.setString(3, legacy.script());
                insert.setString(4, rs.getString(2));
                insert.setLong(5, rs.getLong(3));
                insert.executeUpdate();
                adopted++;
            }
        }
        if (adopted > 0) {
            LOG.info("Adopted {} schema versions of obkm_schema_version into the per-module ledger obkm_schema_migration",
                    adopted);
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(c.getCatalog(), c.getSchema(), name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<Integer, String> applied(Connection c, String module) throws SQLException {
        Map<Integer, String> applied = new TreeMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT version, checksum FROM obkm_schema_migration WHERE module = ?")) {
            p.setString(1, module);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    applied.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        return applied;
    }

    private static void apply(Connection c, String module, int version, String script, String sql, String checksum)
            throws SQLException {
        LOG.info("Applying schema migration {}/{}", module, script);
        try (Statement s = c.createStatement()) {
            for (String statement : statements(sql)) {
                s.execute(statement);
            }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO obkm_schema_migration"
                + " (module, version, script, checksum, installed_at) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, module);
            p.setInt(2, version);
            p.setString(3, script);
            p.setString(4, checksum);
            p.setLong(5, System.currentTimeMillis());
            p.executeUpdate();
        }
    }

    /** Splits a script at semicolons that end a line, dropping comment lines. */
    public static List<String> statements(String sql) {
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

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
