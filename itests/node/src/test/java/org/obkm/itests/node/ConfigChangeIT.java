package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.itests.support.Await;
import org.obkm.itests.support.Https;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 11, part 2: an operator edits {@code etc/org.obkm.*.cfg} while tokens are requested and
 * introspected from a few threads; every setting that may change at runtime is changed, one file write
 * at a time (FileInstall picks each up), and not one request of the load may fail, while each change
 * visibly takes effect. Before the fix each change of {@code org.obkm.oauth} re-created the endpoints:
 * one {@code 400 unsupported_grant_type} and one Jetty HTML 404 per change.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigChangeIT extends NodeTestSupport {

    private static final int THREADS = 3;
    private static final Duration APPLIED = Duration.ofSeconds(20);

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    /** Rounds of the load completed so far (each a token request and an introspection). */
    private final AtomicInteger requests = new AtomicInteger();

    @Test
    public void everyRuntimeSettingChangesWithoutAFailedRequest() throws Exception {
        CreatedClient c = createClient(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, "accounts");
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> load = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    oneRound(c, requests, failures);
                }
            }, "config-load-" + i);
            t.start();
            load.add(t);
        }
        try {
            Await.until("the load running", Duration.ofSeconds(30), () -> requests.get() > 10);

            // org.obkm.oauth: what the load sees first, then every other runtime setting
            change("org.obkm.oauth", Map.of("accessTokenLifetimeSeconds", "1234"));
            awaitToken(c, "lifetime 1234", t -> t.exp() - t.iat() == 1234);
            change("org.obkm.oauth", Map.of("accessTokenSigningAlgorithm", "ES256"));
            awaitToken(c, "alg ES256", t -> "ES256".equals(t.alg()));
            change("org.obkm.oauth", Map.of("accessTokenAudience", "https://api.bank.example"));
            awaitToken(c, "aud https://api.bank.example", t -> t.payload().contains("\"https://api.bank.example\""));
            Map<String, String> oauth = new LinkedHashMap<>();
            oauth.put("clientAssertionAlgorithms", "PS256");
            oauth.put("clientAssertionMaxLifetimeSeconds", "120");
            oauth.put("clockSkewSeconds", "5");
            oauth.put("maxRequestBytes", "32768");
            oauth.put("authorizationCodeLifetimeSeconds", "30");
            oauth.put("loginFlowLifetimeSeconds", "300");
            oauth.put("maxSignInAttemptsPerFlow", "3");
            oauth.put("refreshTokenLifetimeSeconds", "86400");
            oauth.put("idTokenLifetimeSeconds", "120");
            oauth.put("idTokenSigningAlgorithm", "ES256");
            oauth.put("acr", "urn:example:acr");
            oauth.put("introspectionSigningAlgorithm", "ES256");
            oauth.put("defaultProfile", "none");
            oauth.put("profile.none.refresh-rotation", "false");
            for (Map.Entry<String, String> e : oauth.entrySet()) {
                change("org.obkm.oauth", Map.of(e.getKey(), e.getValue()));
            }
            change("org.obkm.oauth", Map.of("accessTokenLifetimeSeconds", "3600", "accessTokenSigningAlgorithm", "PS256"));
            awaitToken(c, "lifetime 3600 and PS256", t -> t.exp() - t.iat() == 3600 && "PS256".equals(t.alg()));

            changeEach("org.obkm.dpop", Map.of("algorithms", "ES256", "iatMaxAgeSeconds", "30",
                    "iatMaxFutureSkewSeconds", "5", "nonceRequired", "true", "nonceValiditySeconds", "120"));
            changeEach("org.obkm.http.cpugate", Map.of("permits", "3", "queueTimeoutMillis", "4000"));
            changeEach("org.obkm.mtls", Map.of("trustedProxies", "10.0.0.5", "certificateHeaderEnabled", "true",
                    "certificateHeader", "x-client-cert", "mtlsBaseUrl", "https://mtls.bank.example"));
            Await.until("discovery naming the mTLS alias", APPLIED, () -> https()
                    .get("/.well-known/openid-configuration").body().contains("https://mtls.bank.example"));
            changeEach("org.obkm.userstore.jdbc", Map.of("pbkdf2Iterations", "610000", "maxFailedAttempts", "6",
                    "lockoutSeconds", "600", "minPasswordLength", "14"));
            changeEach("org.obkm.userstore.registry", Map.of("domainSeparator", "|"));
            changeEach("org.obkm.userstore.deployer", Map.of("pollMillis", "1500"));
            // The cluster's member settings take effect after a restart: changed, they must cost nothing now.
            changeEach("org.obkm.cluster", Map.of("invalidationTimeoutMillis", "3000", "maxNoHeartbeatSeconds", "6"));
            // A few more rounds after the last change, still under load.
            int before = requests.get();
            Await.until("the load running on", Duration.ofSeconds(30), () -> requests.get() > before + 20);
        } finally {
            running.set(false);
            for (Thread t : load) {
                t.join(30_000);
            }
        }
        assertTrue(requests.get() + " requests, failed: " + failures, failures.isEmpty());
        Path log = Path.of(System.getProperty("karaf.log", System.getProperty("karaf.data") + "/log"), "karaf.log");
        Await.until("the log saying the cluster change waits for a restart", APPLIED, () -> Files.readString(log)
                .contains("maxNoHeartbeatSeconds changed; takes effect after a restart"));
    }

    /** One token request and one introspection of its token: both must be 200. */
    private static void oneRound(CreatedClient c, AtomicInteger requests, List<String> failures) {
        try {
            Https.Response token = https().postForm(TOKEN, Https.form("grant_type", "client_credentials",
                    "scope", "accounts"), "Authorization", Https.basic(c.client().clientId(), c.secret()));
            requests.incrementAndGet();
            if (token.status() != 200) {
                failures.add("token " + token.status() + ": " + token.body());
                return;
            }
            Https.Response active = https().postForm(INTROSPECT, Https.form("token", token.string("access_token")),
                    "Authorization", Https.basic(c.client().clientId(), c.secret()));
            requests.incrementAndGet();
            if (active.status() != 200 || !Boolean.TRUE.equals(active.json().get("active"))) {
                failures.add("introspection " + active.status() + ": " + active.body());
            }
        } catch (RuntimeException e) {
            failures.add("request failed: " + e);
        }
    }

    private void changeEach(String pid, Map<String, String> values) throws Exception {
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(values).entrySet()) {
            change(pid, Map.of(e.getKey(), e.getValue()));
        }
    }

    /** Writes the settings into etc/PID.cfg as an operator would, and waits until ConfigurationAdmin has them. */
    private void change(String pid, Map<String, String> values) throws Exception {
        Path cfg = Path.of(System.getProperty("karaf.etc"), pid + ".cfg");
        String text = Files.exists(cfg) ? Files.readString(cfg) : "";
        for (Map.Entry<String, String> e : values.entrySet()) {
            Matcher m = Pattern.compile("(?m)^#?\\s*" + Pattern.quote(e.getKey()) + "\\s*=.*$").matcher(text);
            String line = Matcher.quoteReplacement(e.getKey() + " = " + e.getValue());
            text = m.find() ? m.replaceFirst(line) : text + (text.endsWith("\n") ? "" : "\n") + line + "\n";
        }
        write(cfg, text);
        Await.until(pid + " " + values + " in ConfigurationAdmin", APPLIED, () -> {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
            Dictionary<String, Object> props = found == null ? null : found[0].getProperties();
            return props != null && values.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(String.valueOf(props.get(e.getKey()))));
        });
        // The components have it shortly after ConfigurationAdmin: let the load run across that moment.
        int before = requests.get();
        Await.until("the load running across the change of " + values, APPLIED, () -> requests.get() > before + 5);
    }

    private static void write(Path cfg, String text) throws IOException {
        Path tmp = cfg.resolveSibling("." + cfg.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, cfg, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private record Token(String alg, String payload, long iat, long exp) {
    }

    private void awaitToken(CreatedClient c, String what, java.util.function.Predicate<Token> applied) {
        Await.until("an access token with " + what, APPLIED, () -> applied.test(token(c)));
    }

    private Token token(CreatedClient c) {
        String jwt = (String) tokenFor(c, "scope", "accounts").get("access_token");
        String[] parts = jwt.split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), java.nio.charset.StandardCharsets.UTF_8);
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Object> claims = Https.Response.parseJson(payload);
        Object alg = Https.Response.parseJson(header).get("alg");
        assertEquals(String.class, alg.getClass());
        return new Token((String) alg, payload, ((Number) claims.get("iat")).longValue(),
                ((Number) claims.get("exp")).longValue());
    }
}
