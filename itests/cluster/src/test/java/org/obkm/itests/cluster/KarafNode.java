package org.obkm.itests.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One OBKM node: the distribution unpacked into its own folder, run as {@code bin/karaf server} in a
 * separate JVM with {@code OBKM_PORT_OFFSET}. {@code KARAF_EXEC=exec} makes the started process the
 * node's JVM itself, so {@link #kill()} is a real kill -9 of the node.
 */
final class KarafNode {

    static final String TLS_KEYSTORE_PASSWORD = "obkm-generated";

    final String name;
    final Path home;
    final int offset;
    private final Path console;
    private volatile Process process;
    private volatile long startedNanos;

    KarafNode(String name, Path home, int offset) {
        this.name = name;
        this.home = home;
        this.offset = offset;
        this.console = home.resolveSibling(home.getFileName() + "-console.out");
    }

    int httpsPort() { return 9446 + offset; }
    int httpPort() { return 9766 + offset; }
    int clusterPort() { return 4000 + offset; }
    int sshPort() { return 8101 + offset; }
    String clusterAddress() { return "127.0.0.1:" + clusterPort(); }
    String baseUrl() { return "https://localhost:" + httpsPort(); }
    Path tlsKeystore() { return home.resolve("etc/obkm-tls.p12"); }
    long startedNanos() { return startedNanos; }
    boolean running() { Process p = process; return p != null && p.isAlive(); }

    /** The distribution the build made ({@code obkm.it.distribution}); fails clearly when there is none. */
    static Path distribution() {
        Path dist = Path.of(System.getProperty("obkm.it.distribution", "target/dist/obkm-distribution.tar.gz"));
        if (!Files.isRegularFile(dist)) {
            throw new IllegalStateException("distribution not found: " + dist + " (run through Maven: mvn verify)");
        }
        return dist;
    }

    /** Unpacks the distribution for every node at once; join before starting them. */
    static CompletableFuture<Void> unpackAll(Path dist, KarafNode... nodes) {
        return CompletableFuture.allOf(Stream.of(nodes).map(n -> CompletableFuture.runAsync(() -> {
            try {
                n.unpack(dist);
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("unpacking " + n.name + ": " + e.getMessage(), e);
            }
        })).toArray(CompletableFuture[]::new));
    }

    /** Unpacks a fresh copy of the distribution; kills a node left running by an aborted earlier run. */
    void unpack(Path tarGz) throws IOException, InterruptedException {
        killLeftover();
        if (Files.exists(home)) {
            run(List.of("rm", "-rf", home.toString()), 60);
        }
        Files.createDirectories(home);
        Files.deleteIfExists(console);
        run(List.of("tar", "xzf", tarGz.toString(), "--strip-components=1", "-C", home.toString()), 120);
        if (!Files.isExecutable(home.resolve("bin/karaf"))) {
            throw new IllegalStateException("no executable bin/karaf in " + home);
        }
    }

    /** Sets {@code key = value} in etc/{@code file}, replacing the line that sets it, else appending one. */
    void configure(String file, Map<String, String> values) throws IOException {
        Path cfg = home.resolve("etc").resolve(file);
        String text = Files.exists(cfg) ? Files.readString(cfg) : "";
        for (Map.Entry<String, String> e : values.entrySet()) {
            // "key" also matches ".key" (pax-jdbc-config: a leading dot keeps a value out of the service
            // properties, as the shipped .password does); the line keeps its spelling.
            Pattern line = Pattern.compile("(?m)^(\\.?)" + Pattern.quote(e.getKey()) + "\\s*=.*$");
            Matcher m = line.matcher(text);
            if (m.find()) {
                StringBuilder sb = new StringBuilder();
                m.reset();
                while (m.find()) {
                    m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + e.getKey() + " = " + e.getValue()));
                }
                m.appendTail(sb);
                text = sb.toString();
            } else {
                text = text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n") + e.getKey() + " = " + e.getValue() + "\n";
            }
        }
        Files.writeString(cfg, text);
    }

    void start() throws IOException {
        if (running()) {
            throw new IllegalStateException(name + " is already running");
        }
        for (int port : new int[] {httpPort(), httpsPort(), clusterPort(), sshPort()}) {
            if (listening(port)) {
                throw new IllegalStateException("port " + port + " for " + name + " (offset " + offset
                        + ") is in use by another process: stop it first");
            }
        }
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KARAF_") || k.equals("EXTRA_JAVA_OPTS") || k.equals("JAVA_OPTS")
                || k.startsWith("OBKM_") || k.equals("MAVEN_OPTS"));
        env.put("OBKM_PORT_OFFSET", Integer.toString(offset));
        env.put("KARAF_EXEC", "exec");
        // No class data sharing archive: on Java 17 a node writes it at its first stop, 10-20 s of a loaded
        // 2-core machine for a node that is never started again (each test class unpacks its own). The
        // archive is measured by run-node.sh's start-time benchmark (BENCHMARKS.md), not here.
        env.put("OBKM_CDS", "off");
        startedNanos = System.nanoTime();
        process = pb.start();
        process.getOutputStream().close();
        Files.writeString(pidFile(), Long.toString(process.pid()));
    }

    /** kill -9 of the node's JVM (and anything it started). */
    void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        waitFor(p, 30);
    }

    /** Sends {@code signal} (STOP, CONT) to the node's JVM with kill(1). */
    void signal(String signal) throws IOException, InterruptedException {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        run(List.of("kill", "-" + signal, Long.toString(p.pid())), 10);
    }

    /** SIGTERM (Karaf shuts down in order), then kill -9 after {@code graceSeconds}. */
    void stop(int graceSeconds) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        if (!waitFor(p, graceSeconds)) {
            kill();
        }
    }

    /** Runs the node's {@code bin/stop} (the shutdown port); {@link #awaitStopped} waits for the exit. */
    void binStop() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("KARAF_") || k.startsWith("OBKM_"));
        pb.environment().put("OBKM_PORT_OFFSET", Integer.toString(offset));
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(name + ": bin/stop failed\n" + logTail(20));
        }
    }

    /** Starts a SIGTERM without waiting; {@link #awaitStopped} finishes it. */
    void requestStop() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
        }
    }

    void awaitStopped(int graceSeconds) {
        Process p = process;
        if (p != null && !waitFor(p, graceSeconds)) {
            kill();
        }
    }

    private static boolean waitFor(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    /** What {@code bin/obkm-shell} printed and its exit code. */
    record ShellResult(int exitCode, String output) {
    }

    /** Runs {@code bin/obkm-shell command} without OBKM_PORT_OFFSET (the directory knows its offset). */
    ShellResult shellResult(String command) {
        ShellResult r = shellResultOnce(command);
        for (int attempt = 1; attempt < 3 && r.output().contains(NO_SESSION); attempt++) {
            r = shellResultOnce(command); // the command never ran: the client got no SSH session
        }
        return r;
    }

    /**
     * What Karaf's client prints when it got no SSH session (connection or login timed out on a loaded
     * host): the command did not run, and is run again.
     */
    static final String NO_SESSION = "Failed to get the session";

    private ShellResult shellResultOnce(String command) {
        try {
            Path out = Files.createTempFile(home.getParent(), "shell-", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder("sh", home.resolve("bin/obkm-shell").toString(), command)
                        .directory(home.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile());
                pb.environment().keySet().removeIf(k -> k.startsWith("KARAF_") || k.equals("EXTRA_JAVA_OPTS")
                        || k.equals("JAVA_OPTS") || k.startsWith("OBKM_"));
                Process p = pb.start();
                p.getOutputStream().close();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new AssertionError(name + ": obkm-shell '" + command + "' did not finish in 60 s");
                }
                return new ShellResult(p.exitValue(), Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The lines of data/log/karaf.log (empty when there is none yet). */
    List<String> logLines() {
        try {
            return Files.readAllLines(home.resolve("data/log/karaf.log"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Runs {@code bin/obkm-shell command} against this node; fails on a non-zero exit code. */
    String shell(String command) {
        for (int attempt = 1;; attempt++) {
            try {
                return shellOnce(command);
            } catch (AssertionError e) {
                if (attempt >= 3 || e.getMessage() == null || !e.getMessage().contains(NO_SESSION)) {
                    throw e;
                }
            }
        }
    }

    private String shellOnce(String command) {
        try {
            Path out = Files.createTempFile(home.getParent(), "shell-", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder("sh", home.resolve("bin/obkm-shell").toString(), command)
                        .directory(home.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile());
                pb.environment().keySet().removeIf(k -> k.startsWith("KARAF_") || k.equals("EXTRA_JAVA_OPTS")
                        || k.equals("JAVA_OPTS") || k.startsWith("OBKM_"));
                pb.environment().put("OBKM_PORT_OFFSET", Integer.toString(offset));
                Process p = pb.start();
                p.getOutputStream().close();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new AssertionError(name + ": obkm-shell '" + command + "' did not finish in 60 s:\n"
                            + Files.readString(out));
                }
                String text = Files.readString(out);
                if (p.exitValue() != 0 || text.contains(NO_SESSION)) {
                    throw new AssertionError(name + ": obkm-shell '" + command + "' exited " + p.exitValue() + ":\n"
                            + text + "\n" + logTail(30));
                }
                return text;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The certificates in the node's generated TLS keystore; empty while it does not exist yet. */
    List<X509Certificate> tlsCertificates() {
        Path ks = tlsKeystore();
        if (!Files.isRegularFile(ks)) {
            return List.of();
        }
        try (InputStream in = Files.newInputStream(ks)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, TLS_KEYSTORE_PASSWORD.toCharArray());
            List<X509Certificate> certs = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                Certificate c = store.getCertificate(alias);
                if (c instanceof X509Certificate x) {
                    certs.add(x);
                }
            }
            return certs;
        } catch (Exception e) {
            return List.of(); // being written right now
        }
    }

    /** Whether data/log/karaf.log has a line that {@code test} accepts. */
    boolean logHasLine(java.util.function.Predicate<String> test) {
        Path log = home.resolve("data/log/karaf.log");
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.anyMatch(test);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** The last lines of data/log/karaf.log and of the console output, for failure messages. */
    String logTail(int lines) {
        return "----- " + name + " (offset " + offset + ", " + (running() ? "running" : "not running")
                + ") data/log/karaf.log, last " + lines + " lines -----\n"
                + tail(home.resolve("data/log/karaf.log"), lines)
                + "----- " + name + " console, last 10 lines -----\n" + tail(console, 10);
    }

    /**
     * What a failure under load needs: the last lines at WARN or ERROR and those of the cluster member
     * (joins, leaves, merges), not the INFO lines of each request.
     */
    String eventTail(int lines) {
        return "----- " + name + " (offset " + offset + ", " + (running() ? "running" : "not running")
                + ") data/log/karaf.log, last " + lines + " warnings, errors and cluster events -----\n"
                + tail(home.resolve("data/log/karaf.log"), lines, l -> !l.contains("| INFO ")
                        || l.contains("| HazelcastNode ") || l.contains("| LifecycleService ")
                        || l.contains("Unregistering servlet"));
    }

    private static String tail(Path file, int lines) {
        return tail(file, lines, l -> true);
    }

    private static String tail(Path file, int lines, java.util.function.Predicate<String> keep) {
        if (!Files.isRegularFile(file)) {
            return "(no " + file + ")\n";
        }
        try {
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().filter(keep)
                    .toList();
            StringBuilder sb = new StringBuilder();
            for (String l : all.subList(Math.max(0, all.size() - lines), all.size())) {
                sb.append(l.length() > 400 ? l.substring(0, 400) + "..." : l).append('\n');
            }
            return sb.toString();
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")\n";
        }
    }

    private Path pidFile() {
        return home.resolveSibling(home.getFileName() + ".pid");
    }

    /** A node of an earlier, aborted run of this test (same folder) is killed by its recorded pid. */
    private void killLeftover() throws IOException {
        Path pidFile = pidFile();
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isPresent() && h.get().info().commandLine().map(c -> c.contains(home.toString())).orElse(false)) {
                System.out.println("Killing " + name + " left running by an earlier run: pid " + pid);
                h.get().descendants().forEach(ProcessHandle::destroyForcibly);
                h.get().destroyForcibly();
                h.get().onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            System.out.println("Could not check leftover pid in " + pidFile + ": " + e);
        }
        Files.deleteIfExists(pidFile);
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    /**
     * Every node on one database, in one cluster (each node's address a member), with one fresh key
     * encryption secret and one issuer: what any multi-node test needs before the nodes start.
     */
    static void configureCluster(TestDatabase db, String issuer, KarafNode... nodes) throws IOException {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        String encryptionSecret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String members = String.join(",", Stream.of(nodes).map(KarafNode::clusterAddress).toList());
        for (KarafNode n : nodes) {
            n.configure("org.ops4j.datasource-obkm.cfg", Map.of("osgi.jdbc.driver.class", "org.postgresql.Driver",
                    "url", db.jdbcUrl(), "user", TestDatabase.USER, "password", TestDatabase.PASSWORD));
            n.configure("org.obkm.cluster.cfg", Map.of("members", members, "bindAddress", "127.0.0.1"));
            n.configure("org.obkm.keys.cfg", Map.of("encryptionSecret", encryptionSecret));
            n.configure("org.obkm.oauth.cfg", Map.of("issuer", issuer));
        }
    }

    /** An HTTPS client that trusts the nodes' generated TLS certificates (read at each handshake). */
    static org.obkm.itests.support.Https httpsTrusting(KarafNode... nodes) throws java.security.GeneralSecurityException {
        return new org.obkm.itests.support.Https(() -> Stream.of(nodes).flatMap(n -> n.tlsCertificates().stream()).toList());
    }

    /** Stops the nodes (SIGTERM, then kill -9 after 20 s), drops the database, removes the kill hook. */
    static void stopAll(TestDatabase db, Thread killOnExit, KarafNode... nodes) throws Exception {
        try {
            all(nodes).forEach(KarafNode::requestStop);
            all(nodes).forEach(n -> n.awaitStopped(20));
        } finally {
            try {
                if (db != null) {
                    db.close();
                }
            } finally {
                if (killOnExit != null) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(killOnExit);
                    } catch (IllegalStateException e) {
                        // the JVM is exiting already: the hook runs anyway
                    }
                }
            }
        }
    }

    static Stream<KarafNode> all(KarafNode... nodes) {
        return Stream.of(nodes).filter(n -> n != null);
    }
}
