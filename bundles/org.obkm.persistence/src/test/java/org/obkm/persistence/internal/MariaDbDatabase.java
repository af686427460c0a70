package org.obkm.persistence.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * An empty database of its own, per test, on MariaDB, dropped again by {@link #drop()}: the MariaDB
 * answering at 127.0.0.1:3306 (user root, empty password), else a throwaway one started here from
 * Debian's binaries ({@code mariadb-install-db}, {@code mariadbd}) on port 15475 with a data folder
 * under /tmp, stopped when the JVM exits; else the tests are skipped, saying so.
 * {@code -Dobkm.test.mariadb=own} starts the throwaway one even when 3306 answers. Shared with other
 * bundles' tests through this module's test jar.
 */
public final class MariaDbDatabase {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 3306;
    private static final int OWN_PORT = 15475;
    private static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    private static final Path SERVER = Path.of("/usr/sbin/mariadbd");

    private static int port;
    private static String skipped;

    private final String prefix;
    private String database;

    /** @param prefix the start of the database names, such as {@code obkm_grant_test} */
    public MariaDbDatabase(String prefix) {
        this.prefix = prefix;
    }

    /** Skips the calling tests (JUnit assumption) when no MariaDB answers and none can be started. */
    public static synchronized void assumeAvailable() {
        if (port == 0 && skipped == null) {
            if (!"own".equals(System.getProperty("obkm.test.mariadb")) && answers(PORT)) {
                port = PORT;
            } else if (Files.isExecutable(INSTALL_DB) && Files.isExecutable(SERVER)) {
                try {
                    startOwn();
                    port = OWN_PORT;
                } catch (IOException | RuntimeException e) {
                    skipped = "no MariaDB at " + HOST + ":" + PORT + ", and starting one from " + SERVER + " failed: "
                            + e.getMessage();
                }
            } else {
                skipped = "no MariaDB at " + HOST + ":" + PORT + " and no Debian MariaDB binaries (" + SERVER
                        + "; apt-get install mariadb-server): MariaDB tests skipped";
            }
            System.out.println(port != 0 ? "MariaDB tests on " + HOST + ":" + port : skipped);
        }
        if (port == 0) {
            Assumptions.abort(skipped);
        }
    }

    /** A new empty database, the DataSource's. */
    public DataSource create() throws SQLException {
        database = prefix + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        try (Connection c = dataSource("").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
        }
        return dataSource(database);
    }

    /** The JDBC URL of the database made last (user root, empty password), for a node's DataSource. */
    public String jdbcUrl() {
        return "jdbc:mariadb://" + HOST + ":" + port + "/" + database;
    }

    /** Where the tests run: the machine's MariaDB or a throwaway one. */
    public static String where() {
        return port == PORT ? "the MariaDB at " + HOST + ":" + PORT : "a throwaway MariaDB at " + HOST + ":" + port;
    }

    /** Drops the database made last, if any. */
    public void drop() throws SQLException {
        if (database != null) {
            try (Connection c = dataSource("").getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE " + database);
            }
            database = null;
        }
    }

    private static MariaDbDataSource dataSource(String database) throws SQLException {
        return new MariaDbDataSource("jdbc:mariadb://" + HOST + ":" + port + "/" + database
                + "?user=root&connectTimeout=5000");
    }

    private static boolean answers(int p) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, p), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** mariadb-install-db into a fresh folder, then mariadbd on {@link #OWN_PORT}; as root it runs as mysql. */
    private static void startOwn() throws IOException {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "obkm-mariadb-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            Files.setOwner(base, base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("mysql"));
        }
        Path data = base.resolve("data");
        List<String> user = root ? List.of("--user=mysql") : List.of();
        List<String> install = new ArrayList<>(List.of(INSTALL_DB.toString(), "--no-defaults", "--datadir=" + data,
                "--auth-root-authentication-method=normal", "--skip-test-db"));
        install.addAll(user);
        run(install, 120);
        List<String> server = new ArrayList<>(List.of(SERVER.toString(), "--no-defaults", "--datadir=" + data,
                "--port=" + OWN_PORT, "--bind-address=" + HOST, "--socket=" + base.resolve("mariadb.sock"),
                "--pid-file=" + base.resolve("mariadb.pid"), "--log-error=" + base.resolve("mariadb.err"),
                "--innodb-buffer-pool-size=64M"));
        server.addAll(user);
        Process p = new ProcessBuilder(server).redirectErrorStream(true)
                .redirectOutput(base.resolve("mariadb.out").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.destroy();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.destroyForcibly();
            try {
                new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor(30, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // best effort: a folder under /tmp
            }
        }, "stop-throwaway-mariadb"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answers(OWN_PORT)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("mariadbd did not answer on " + OWN_PORT + " (see " + base.resolve("mariadb.err") + ")");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        System.out.println("Started a throwaway MariaDB on " + HOST + ":" + OWN_PORT + " in " + base);
    }

    private static void run(List<String> command, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        try {
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
