package org.obkm.itests.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One PostgreSQL server of Debian's binaries ({@code /usr/lib/postgresql/<major>/bin}: initdb, pg_ctl,
 * pg_basebackup), on its own port and data folder under /tmp, trust authentication on 127.0.0.1. A
 * primary is made with {@link #initPrimary}, a streaming standby of it with {@link #standbyOf}. As root
 * the server runs as the {@code postgres} user (initdb refuses root). {@code -Dobkm.it.pgbin} names
 * another bin folder.
 */
final class PgServer {

    static final String USER = "postgres";

    final String name;
    final int port;
    final Path dataDir;

    private PgServer(String name, int port, Path dataDir) {
        this.name = name;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** The bin folder of the newest Debian PostgreSQL installed, or of {@code obkm.it.pgbin}; empty if none. */
    static Optional<Path> binaries() {
        String forced = System.getProperty("obkm.it.pgbin", "");
        if (!forced.isBlank()) {
            return Optional.of(Path.of(forced)).filter(p -> Files.isExecutable(p.resolve("pg_ctl")));
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> majors = Files.list(root)) {
            return majors.map(m -> m.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_basebackup")))
                    .max(Comparator.comparingInt(b -> major(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int major(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A fresh primary on {@code port}, not synchronous yet: a commit on it would wait for a standby that
     * does not exist (CREATE DATABASE too). {@link #requireSynchronousStandby} turns it on once the
     * standby streams.
     */
    static PgServer initPrimary(Path base, String name, int port) throws IOException {
        PgServer s = new PgServer(name, port, base.resolve(name));
        s.run(List.of(bin("initdb"), "-D", s.dataDir.toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                "--no-instructions"), 120);
        List<String> conf = new ArrayList<>(List.of(
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + base + "'",
                "wal_level = replica",
                "max_wal_senders = 4",
                "fsync = on",
                "shared_buffers = 32MB",
                "max_connections = 60",
                "synchronous_commit = on"));
        s.appendConf("postgresql.conf", conf);
        return s;
    }

    /**
     * A streaming standby of {@code primary} (pg_basebackup -R), connecting as {@code name} (its
     * application_name, matched by the primary's synchronous_standby_names). Once promoted it is a primary
     * without a standby, so it does not wait for one: synchronous_standby_names is empty on it.
     */
    static PgServer standbyOf(PgServer primary, Path base, String name, int port) throws IOException {
        PgServer s = new PgServer(name, port, base.resolve(name));
        s.run(List.of(bin("pg_basebackup"), "-h", "127.0.0.1", "-p", Integer.toString(primary.port), "-U", USER,
                "-D", s.dataDir.toString(), "-R", "-X", "stream", "-c", "fast"), 120);
        // postgresql.auto.conf, read last: it overrides the primary's settings copied by pg_basebackup and
        // the primary_conninfo that -R wrote there (which names no application_name).
        s.appendConf("postgresql.auto.conf", List.of(
                "primary_conninfo = 'host=127.0.0.1 port=" + primary.port + " user=" + USER
                        + " application_name=" + name + "'",
                "synchronous_standby_names = ''",
                "hot_standby = on"));
        return s;
    }

    /** A folder under /tmp the server's user can own (as root: postgres), removed by {@link #removeBase}. */
    static Path newBase(String prefix) throws IOException {
        Path base = Files.createTempDirectory(Path.of("/tmp"), prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (isRoot()) {
            UserPrincipal pg = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
            Files.setOwner(base, pg);
        }
        return base;
    }

    static void removeBase(Path base) {
        if (base == null) {
            return;
        }
        try {
            new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.out.println("Could not remove " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Synchronous replication from now on: a commit returns once the standby {@code standby} (its
     * application_name) has written and flushed its WAL (synchronous_commit = on), so a write
     * acknowledged to a client survives this primary's death.
     */
    void requireSynchronousStandby(String standby) throws SQLException {
        try (Connection c = connect("postgres"); java.sql.Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET synchronous_standby_names = '" + standby + "'");
            s.execute("SELECT pg_reload_conf()");
        }
    }

    void start() throws IOException {
        run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-l", dataDir.resolveSibling(name + ".log").toString(),
                "-o", "-p " + port, "-w", "-t", "60", "start"), 90);
    }

    /** pg_ctl stop -m fast: connections are closed, the server shuts down cleanly. */
    void stop() throws IOException {
        run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop"), 90);
    }

    /** pg_ctl stop -m immediate, ignoring a server that is not running: for clean-up. */
    void stopQuietly() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            if (ProcessHandle.of(pid).isEmpty()) {
                return; // killed, or stopped already
            }
        } catch (IOException | RuntimeException e) {
            return; // not started, or stopped cleanly (no postmaster.pid)
        }
        try {
            run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "30", "stop"), 60);
        } catch (IOException | RuntimeException e) {
            System.out.println("Stopping " + name + ": " + e.getMessage());
        }
    }

    /** kill -9 of the postmaster and of its backends, as when its host dies; returns the postmaster's pid. */
    long kill9() throws IOException {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle pm = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(name + " not running"));
        List<ProcessHandle> children = pm.descendants().toList();
        pm.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            pm.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(name + " (pid " + pid + ") survived kill -9", e);
        }
        return pid;
    }

    /** pg_ctl promote -w: the standby ends recovery and accepts writes. */
    void promote() throws IOException {
        run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-w", "-t", "60", "promote"), 90);
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database
                + "?connectTimeout=5", USER, "x");
    }

    String logTail(int lines) {
        Path log = dataDir.resolveSibling(name + ".log");
        try {
            List<String> all = Files.readAllLines(log);
            return "----- PostgreSQL " + name + " (port " + port + ") log -----\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException e) {
            return "(no log " + log + ")\n";
        }
    }

    private void appendConf(String file, List<String> lines) throws IOException {
        Path conf = dataDir.resolve(file);
        String text = "\n# OBKM test (" + name + ")\n" + String.join("\n", lines) + "\nport = " + port + "\n";
        Files.writeString(conf, Files.readString(conf) + text);
    }

    private static String bin(String tool) {
        return binaries().orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries")).resolve(tool).toString();
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a PostgreSQL tool (as postgres when this JVM is root); fails with its output. */
    private void run(List<String> command, int timeoutSeconds) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (isRoot()) {
            cmd.addAll(List.of("runuser", "-u", USER, "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            // pg_ctl start leaves the server holding no pipe of ours (-l), so this read ends with pg_ctl.
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out + "\n" + logTail(20));
        }
    }
}
