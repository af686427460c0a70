package org.obkm.itests.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy (Debian's {@code haproxy}) in front of the nodes, configured from one of the shipped
 * templates in {@code cluster/haproxy/} ({@code -Dobkm.it.haproxy.templates}): each {@code @KEY@} is
 * replaced, each line naming a {@code @NODE_...@} value is written once per node, as run-cluster.sh
 * does. Runs in the foreground ({@code -db}) as a child of the test JVM, stopped by {@link #close()}.
 * Its statistics page (CSV) tells whether HAProxy has a node in rotation.
 */
final class Balancer implements AutoCloseable {

    final String mode;
    final int port;
    final int statsPort;
    private final Path config;
    private final Path log;
    private final HttpClient stats = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private Balancer(String mode, int port, int statsPort, Path config, Path log) {
        this.mode = mode;
        this.port = port;
        this.statsPort = statsPort;
        this.config = config;
        this.log = log;
    }

    /** The template {@code cluster/haproxy/<mode>.cfg} filled in for these nodes, written to {@code dir}. */
    static Balancer configure(String mode, Path dir, int port, int statsPort, Map<String, String> values,
            List<KarafNode> nodes) throws IOException {
        Path template = Path.of(System.getProperty("obkm.it.haproxy.templates", "../../cluster/haproxy"))
                .resolve(mode + ".cfg");
        Map<String, String> all = new HashMap<>(values);
        all.put("LB_BIND", "127.0.0.1:" + port);
        all.put("STATS_BIND", "127.0.0.1:" + statsPort);
        all.put("PID_FILE", dir.resolve(mode + ".pid").toString());
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(template)) {
            if (line.contains("@NODE_") && !line.stripLeading().startsWith("#")) {
                for (KarafNode n : nodes) {
                    // The node's own certificate, the only anchor HAProxy verifies that node against.
                    Path ca = dir.resolve(n.name + "-tls.pem");
                    StringBuilder pem = new StringBuilder();
                    n.tlsCertificates().forEach(c -> pem.append(com.nimbusds.jose.util.X509CertUtils.toPEMString(c))
                            .append('\n'));
                    Files.writeString(ca, pem.toString());
                    out.add(fill(line.replace("@NODE_CA@", ca.toString()).replace("@NODE_NAME@", n.name)
                            .replace("@NODE_ADDRESS@", "127.0.0.1")
                            .replace("@NODE_HTTPS_PORT@", Integer.toString(n.httpsPort()))
                            .replace("@NODE_HTTP_PORT@", Integer.toString(n.httpPort())), all));
                }
            } else {
                out.add(line.stripLeading().startsWith("#") ? line : fill(line, all));
            }
        }
        Path config = dir.resolve("haproxy-" + mode + ".cfg");
        Files.write(config, out);
        return new Balancer(mode, port, statsPort, config, dir.resolve("haproxy-" + mode + ".log"));
    }

    private static String fill(String line, Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            line = line.replace("@" + e.getKey() + "@", e.getValue());
        }
        if (line.matches(".*@[A-Z_]+@.*")) {
            throw new IllegalStateException("template value missing in: " + line);
        }
        return line;
    }

    void start() throws IOException {
        for (int p : new int[] {port, statsPort}) {
            if (KarafNode.listening(p)) {
                throw new IllegalStateException("port " + p + " for haproxy (" + mode + ") is in use: stop it first");
            }
        }
        check();
        process = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process.getOutputStream().close();
        org.obkm.itests.support.Await.until("haproxy (" + mode + ") listening on " + port, Duration.ofSeconds(10),
                Duration.ofMillis(50), () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("haproxy exited: " + read(log));
                    }
                    return KarafNode.listening(port) && KarafNode.listening(statsPort)
                            ? java.util.Optional.of(true) : java.util.Optional.empty();
                }, () -> read(log));
    }

    /** {@code haproxy -c}: the generated configuration is valid (what an operator runs first). */
    private void check() throws IOException {
        try {
            Process p = new ProcessBuilder("haproxy", "-c", "-q", "-f", config.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("haproxy -c -f " + config + " failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    String baseUrl() {
        return "https://localhost:" + port;
    }

    /** HAProxy's view of each node of the backend: status (UP, DOWN, ...) by server name. */
    Map<String, String> serverStatus() {
        return column("obkm_nodes", "status");
    }

    /** The same for another backend of the configuration (obkm_failopen). */
    Map<String, String> serverStatus(String backend) {
        return column(backend, "status");
    }

    /** Sessions each node was given so far (stot), by server name: in TCP mode, connections it took. */
    Map<String, Long> sessions() {
        return numbers("stot");
    }

    /** 2xx answers each node gave so far (hrsp_2xx, HTTP mode only), by server name. */
    Map<String, Long> successes() {
        return numbers("hrsp_2xx");
    }

    private Map<String, Long> numbers(String name) {
        Map<String, Long> m = new HashMap<>();
        column("obkm_nodes", name).forEach((k, v) -> m.put(k, v.isEmpty() ? 0L : Long.parseLong(v)));
        return m;
    }

    private Map<String, String> column(String backend, String name) {
        String csv;
        try {
            csv = stats.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        List<String> lines = csv.lines().toList();
        List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
        int at = header.indexOf(name);
        Map<String, String> m = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            if (f.length > at && backend.equals(f[0]) && !"BACKEND".equals(f[1])) {
                m.put(f[1], f[at]);
            }
        }
        return m;
    }

    /** Waits until HAProxy reports each named server in the given status (UP, DOWN). */
    void awaitStatus(Map<String, String> expected, Duration timeout, java.util.function.Supplier<String> diagnostics) {
        org.obkm.itests.support.Await.until("haproxy " + mode + " servers " + expected, timeout, Duration.ofMillis(50),
                () -> {
                    Map<String, String> s = serverStatus();
                    return expected.entrySet().stream().allMatch(e -> s.getOrDefault(e.getKey(), "")
                            .startsWith(e.getValue())) ? java.util.Optional.of(true) : java.util.Optional.empty();
                }, diagnostics);
    }

    /** Ms from {@code sinceNanos} until HAProxy reports {@code server} in {@code status}. */
    long awaitStatusSince(String server, String status, long sinceNanos, java.util.function.Supplier<String> diagnostics) {
        org.obkm.itests.support.Await.until("haproxy " + mode + " " + server + " " + status, Duration.ofSeconds(20),
                Duration.ofMillis(10), () -> serverStatus().getOrDefault(server, "").startsWith(status)
                        ? java.util.Optional.of(true) : java.util.Optional.empty(), diagnostics);
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    /**
     * The balancer's certificate for the issuer's host name (localhost), made with openssl as an operator
     * would: {@code lb.pem} (chain and key, HAProxy's {@code crt}) in {@code dir}; returns the certificate.
     */
    static java.security.cert.X509Certificate makeCertificate(Path dir) throws IOException, InterruptedException {
        Path key = dir.resolve("lb-key.pem");
        Path crt = dir.resolve("lb-cert.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", crt.toString(), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError("openssl req failed:\n" + out);
        }
        Files.writeString(dir.resolve("lb.pem"), Files.readString(crt) + Files.readString(key));
        return com.nimbusds.jose.util.X509CertUtils.parse(Files.readString(crt));
    }

    String logTail() {
        return "----- haproxy " + mode + " -----\n" + read(log);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no " + file + ")";
        } catch (IOException e) {
            return "(cannot read " + file + ")";
        }
    }

    @Override
    public void close() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
