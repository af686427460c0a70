package org.obkm.itests.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.obkm.itests.support.Await;

/**
 * A real OpenLDAP directory for tests: Debian's {@code slapd} with an MDB database in a temporary
 * folder, on a free port of 127.0.0.1, loaded with {@code slapadd} (which gives every entry its
 * {@code entryUUID}). {@link #stop()} and {@link #start()} take the directory down and up again on the
 * same port, as an outage does. Needs the packages {@code slapd} and {@code ldap-utils}; .ci/run
 * installs them.
 */
final class Slapd implements AutoCloseable {

    static final String SLAPD = System.getProperty("obkm.it.slapd", "/usr/sbin/slapd");
    static final String SUFFIX = "dc=example,dc=com";
    static final String ADMIN_DN = "cn=admin," + SUFFIX;
    /** The service account OBKM binds as for searches (ConnectionName). */
    static final String SERVICE_DN = "cn=obkm,ou=Services," + SUFFIX;
    static final String SERVICE_PASSWORD = "Service-Account-Secret-1";

    private final Path dir;
    private final int port;
    private Process process;

    private Slapd(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * A directory with the service account and these entries (LDIF without the base entries), started.
     */
    static Slapd start(String entriesLdif) throws Exception {
        requireInstalled();
        Path dir = Files.createTempDirectory("obkm-slapd-");
        Slapd slapd = new Slapd(dir, freePort());
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("slapd.conf"), slapd.config(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("init.ldif"), baseEntries() + entriesLdif, StandardCharsets.UTF_8);
        run(List.of("/usr/sbin/slapadd", "-f", dir.resolve("slapd.conf").toString(), "-l", dir.resolve("init.ldif").toString()));
        slapd.start();
        // In-container Pax Exam runs each test method as a JUnit run of its own (an @AfterClass fires after
        // every method), so the directory lives as long as the container JVM.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                slapd.close();
            } catch (Exception e) {
                // the JVM is going away; the temporary folder may stay
            }
        }, "stop-slapd"));
        return slapd;
    }

    static void requireInstalled() {
        if (!Files.isExecutable(Path.of(SLAPD)) || !Files.isExecutable(Path.of("/usr/sbin/slapadd"))) {
            throw new AssertionError(SLAPD + " is missing: the directory tests need Debian's slapd and ldap-utils"
                    + " (apt-get install slapd ldap-utils; .ci/run does this)");
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "ldap://127.0.0.1:" + port;
    }

    /** Starts slapd (again) on its port and waits until it accepts connections. */
    synchronized void start() throws Exception {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(SLAPD, "-f", dir.resolve("slapd.conf").toString(), "-h", url() + "/", "-d", "0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("slapd.log").toFile()).start();
        Process started = process;
        Await.until("slapd listening on " + port, Duration.ofSeconds(20), () -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("slapd exited with " + started.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        }, this::log);
    }

    private String log() {
        try {
            return "slapd.log: " + Files.readString(dir.resolve("slapd.log"));
        } catch (IOException e) {
            return "no slapd.log";
        }
    }

    /** Stops slapd (SIGTERM), as a directory outage. */
    synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        deleteRecursively(dir.toFile());
    }

    private static void deleteRecursively(java.io.File f) {
        java.io.File[] children = f.listFiles();
        if (children != null) {
            for (java.io.File c : children) {
                deleteRecursively(c);
            }
        }
        f.delete();
    }

    /** Changes the directory as its administrator would (ldapmodify with this LDIF). */
    void modify(String ldif) throws Exception {
        Path file = Files.createTempFile(dir, "modify", ".ldif");
        Files.writeString(file, ldif, StandardCharsets.UTF_8);
        run(List.of("/usr/bin/ldapmodify", "-x", "-H", url(), "-D", ADMIN_DN, "-w", "Admin-Secret-1", "-f", file.toString()));
    }

    /** An inetOrgPerson under ou=Users with this password (stored as an SSHA hash by slappasswd). */
    static String person(String uid, String displayName, String mail, String password) throws Exception {
        return "dn: uid=" + uid + ",ou=Users," + SUFFIX + "\nobjectClass: inetOrgPerson\nuid: " + uid + "\ncn: "
                + displayName + "\nsn: " + displayName.substring(displayName.lastIndexOf(' ') + 1) + "\nmail: " + mail
                + "\nuserPassword: " + hash(password) + "\n\n";
    }

    /** A groupOfNames under ou=Groups with these member uids. */
    static String group(String cn, String... memberUids) {
        StringBuilder sb = new StringBuilder("dn: cn=" + cn + ",ou=Groups," + SUFFIX + "\nobjectClass: groupOfNames\ncn: " + cn + "\n");
        for (String uid : memberUids) {
            sb.append("member: uid=").append(uid).append(",ou=Users,").append(SUFFIX).append('\n');
        }
        return sb.append('\n').toString();
    }

    private static String hash(String password) throws Exception {
        return run(List.of("/usr/sbin/slappasswd", "-s", password)).strip();
    }

    private String config() {
        return String.join("\n",
                "include /etc/ldap/schema/core.schema",
                "include /etc/ldap/schema/cosine.schema",
                "include /etc/ldap/schema/inetorgperson.schema",
                "include /etc/ldap/schema/nis.schema",
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "pidfile " + dir.resolve("slapd.pid"),
                "argsfile " + dir.resolve("slapd.args"),
                "access to attrs=userPassword by anonymous auth by self read by * none",
                "access to * by * read",
                "database mdb",
                "maxsize 67108864",
                "suffix \"" + SUFFIX + "\"",
                "rootdn \"" + ADMIN_DN + "\"",
                "rootpw Admin-Secret-1",
                "directory " + dir.resolve("data"),
                "index objectClass eq",
                "index uid eq",
                "index entryUUID eq",
                "");
    }

    private static String baseEntries() throws Exception {
        return "dn: " + SUFFIX + "\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example Bank\n\n"
                + "dn: ou=Users," + SUFFIX + "\nobjectClass: organizationalUnit\nou: Users\n\n"
                + "dn: ou=Groups," + SUFFIX + "\nobjectClass: organizationalUnit\nou: Groups\n\n"
                + "dn: ou=Services," + SUFFIX + "\nobjectClass: organizationalUnit\nou: Services\n\n"
                + "dn: " + SERVICE_DN + "\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: obkm\n"
                + "userPassword: " + hash(SERVICE_PASSWORD) + "\n\n";
    }

    /** A port of 127.0.0.1 where nothing listens (a replica that is down). */
    static int freeClosedPort() throws IOException {
        return freePort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, 1)) + " failed: " + out);
        }
        return out;
    }
}
