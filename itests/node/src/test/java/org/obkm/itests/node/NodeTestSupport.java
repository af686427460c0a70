package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.CoreOptions.when;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.inject.Inject;

import org.junit.Before;
import org.obkm.itests.support.Await;
import org.obkm.itests.support.Https;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.ClientService;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.util.Filter;

/**
 * One node of the built distribution in a Pax Exam Karaf container, on ports of its own so a dev
 * node on the defaults keeps running. Test methods run inside the container and call the node over
 * real HTTPS.
 */
public abstract class NodeTestSupport {

    static final String TOKEN = "/oauth2/token";
    static final String INTROSPECT = "/oauth2/introspect";
    static final String REVOKE = "/oauth2/revoke";
    static final String FORM = "application/x-www-form-urlencoded";
    private static final long BOOT_TIMEOUT_MILLIS = 90_000;

    /** Shared by the test methods of one class (one container per class). */
    private static Https https;

    @Inject
    @Filter(timeout = BOOT_TIMEOUT_MILLIS)
    protected ClientService clients;

    @Configuration
    public Option[] config() {
        return nodeOptions(new File(System.getProperty("obkm.it.unpack", "target/exam")));
    }

    /**
     * The node's Pax Exam options, unpacked under {@code unpackDirectory}; also used by tests that run in
     * the driver JVM and only start the container (BrowserFlowIT).
     */
    static Option[] nodeOptions(File unpackDirectory) {
        String karafVersion = System.getProperty("obkm.it.karaf.version", "4.4.10");
        String localRepo = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository");
        String httpsPort = System.getProperty("obkm.it.https.port", "9546");
        return options(
                // The test-support classes the test methods call inside the container, beside the probe
                bundle(supportBundle()),
                karafDistributionConfiguration().frameworkUrl(distribution())
                        .karafVersion(karafVersion).name("OBKM")
                        .unpackDirectory(unpackDirectory)
                        .useDeployFolder(false),
                when(Boolean.getBoolean("obkm.it.keep")).useOptions(keepRuntimeFolder()),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevel.valueOf(System.getProperty("obkm.it.logLevel", "WARN"))),
                vmOptions(jvmOptions(karafVersion)),
                editConfigurationFilePut("etc/system.properties", "obkm.http.port",
                        System.getProperty("obkm.it.http.port", "9866")),
                editConfigurationFilePut("etc/system.properties", "obkm.https.port", httpsPort),
                editConfigurationFilePut("etc/system.properties", "obkm.cluster.port",
                        System.getProperty("obkm.it.cluster.port", "4100")),
                editConfigurationFilePut("etc/system.properties", "obkm.ssh.port",
                        System.getProperty("obkm.it.ssh.port", "8201")),
                editConfigurationFilePut("etc/org.obkm.cluster.cfg", "port",
                        System.getProperty("obkm.it.cluster.port", "4100")),
                editConfigurationFilePut("etc/org.obkm.oauth.cfg", "issuer",
                        "https://localhost:" + httpsPort + TOKEN),
                // The exam feature comes from the build's local repository, never from the network.
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.localRepository", localRepo),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""));
    }

    /** The archive Maven resolved for this build; from an IDE, the one in the local repository. */
    private static String distribution() {
        String file = System.getProperty("obkm.it.distribution", "");
        if (!file.isEmpty() && !file.startsWith("${")) {
            return new File(file).toURI().toString();
        }
        return maven("org.obkm", "obkm-distribution").type("tar.gz").versionAsInProject().getURL();
    }

    /** The org.obkm.itests.support jar Maven resolved for this build; from an IDE, the local repository's. */
    private static String supportBundle() {
        String file = System.getProperty("obkm.it.supportBundle", "");
        if (!file.isEmpty() && !file.startsWith("${")) {
            return new File(file).toURI().toString();
        }
        return maven("org.obkm", "org.obkm.itests.support").versionAsInProject().getURL();
    }

    /** What bin/karaf and bin/setenv give the JVM on Java 17: Pax Exam adds none of it. */
    private static String[] jvmOptions(String karafVersion) {
        return new String[] {
            "-Xms64m", "-Xmx256m", "-XX:MaxMetaspaceSize=256m", "-XX:+UseSerialGC", "-Xss512k",
            "--add-reads=java.xml=java.logging",
            "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
            "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
            "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
            "--add-opens", "java.base/java.security=ALL-UNNAMED",
            "--add-opens", "java.base/java.net=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
            "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
            "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
            "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
            "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
            // Hazelcast (VERSIONS.md)
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "-classpath", "lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*"};
    }

    /**
     * Waits until the node answers {@code /health} UP over verified HTTPS: the keystore is made on
     * first start, and the cluster member and the keys come up after the servlets.
     */
    @Before
    public void waitUntilServing() throws Exception {
        if (https != null) {
            return;
        }
        https = awaitServing(Path.of(System.getProperty("karaf.etc"), "obkm-tls.p12"), httpsPort(), httpPort(),
                Duration.ofMillis(BOOT_TIMEOUT_MILLIS));
    }

    /** An HTTPS client trusting the node's certificate, once {@code /health} answers 200 with it. */
    static Https awaitServing(Path keystore, int httpsPort, int httpPort, Duration timeout) {
        Https[] serving = new Https[1];
        Await.until("the node serving HTTPS (/health 200)", timeout, () -> {
            if (!Files.exists(keystore)) {
                return false;
            }
            Https candidate = Https.trustingNodeCertificate(keystore, httpsPort, httpPort);
            Https.Response health = candidate.get("/health");
            if (health.status() != 200) {
                throw new AssertionError("health: " + health);
            }
            serving[0] = candidate;
            return true;
        });
        return serving[0];
    }

    protected static Https https() {
        return https;
    }

    protected static int httpsPort() {
        return Integer.getInteger("obkm.https.port");
    }

    protected static int httpPort() {
        return Integer.getInteger("obkm.http.port");
    }

    /** The issuer configured for this node: also the client assertion audience. */
    protected static String issuer() {
        return "https://localhost:" + httpsPort() + TOKEN;
    }

    /** A client of profile {@code none}: these tests are about the token mechanics, not a FAPI profile. */
    protected CreatedClient createClient(TokenEndpointAuthMethod method, String jwks, String... scopes) {
        return clients.create(new ClientRegistration("it-" + method.value(), Set.of("client_credentials"),
                Set.of(scopes), method, jwks, null, List.of(), null).withProfile("none"));
    }

    /** A client_credentials token request with client_secret_basic; returns the token response JSON. */
    protected Map<String, Object> tokenFor(CreatedClient c, String... extraParams) {
        String[] params = new String[extraParams.length + 2];
        params[0] = "grant_type";
        params[1] = "client_credentials";
        System.arraycopy(extraParams, 0, params, 2, extraParams.length);
        Https.Response r = https().postForm(TOKEN, Https.form(params),
                "Authorization", Https.basic(c.client().clientId(), c.secret()));
        assertEquals("token response " + r, 200, r.status());
        assertEquals("no-store", r.header("Cache-Control"));
        Map<String, Object> json = r.json();
        assertEquals("Bearer", json.get("token_type"));
        assertNotNull(json.get("access_token"));
        return json;
    }

    /**
     * An RFC 6749 §5.2 error: the status, the error code, a JSON content type, never a 5xx; and for
     * 401 the WWW-Authenticate challenge of RFC 6749 §5.2.
     */
    protected static void assertOAuthError(Https.Response r, int status, String error) {
        assertTrue("server error " + r, r.status() < 500);
        assertEquals("status of " + r, status, r.status());
        String type = r.header("Content-Type");
        assertTrue("content type " + type + " of " + r, type != null && type.startsWith("application/json"));
        assertEquals("error code of " + r, error, r.json().get("error"));
        if (status == 401) {
            String challenge = r.header("WWW-Authenticate");
            assertNotNull("401 without WWW-Authenticate: " + r, challenge);
        }
    }
}
