package org.obkm.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;


import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The time the login POST (the step that checks the password) takes on a node for a user of the
 * primary store and for a user of an LDAP store ({@code DOMAIN/user}), in complete authorization code
 * flows ({@link ScriptedFlow}, client_secret_basic). The two kinds alternate flow by flow so that the
 * host's drift hits both alike; the difference of the medians is what the directory adds to a sign-in.
 * With {@code --concurrency N} N threads do the same at once. Prints, for scripts and people:
 * <pre>
 * SIGNIN store=primary concurrency=1 n=.. p50_ms=.. p90_ms=.. flow_p50_ms=.. errors=..
 * SIGNIN store=ldap-same-user ...        (BENCH.TEST/user0000 every time)
 * SIGNIN store=ldap-distinct-users ...   (a different directory user each flow)
 * ADDED ldap-same-user concurrency=1 p50_ms=.. (ldap p50 - primary p50)
 * </pre>
 *
 * <pre>
 * java -cp benchmarks.jar org.obkm.benchmarks.LdapSignInLatency --base https://localhost:9496 \
 *     --truststore etc/obkm-tls.p12 --client-id ID --client-secret S --primary-user U --primary-password P \
 *     --ldap-users BENCH.TEST/user --ldap-password P [--users 1000] [--flows 200] [--warmup 30] [--concurrency 1,4]
 * </pre>
 */
public final class LdapSignInLatency {

    private LdapSignInLatency() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Cli.options(argv);
        HttpClient http = Cli.nodeClient(Path.of(Cli.required(a, "truststore")), a.getOrDefault("storepass", "obkm-generated"));
        String base = Cli.required(a, "base");
        HttpResponse<String> d = http.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (d.statusCode() != 200) {
            throw new IllegalStateException("discovery: HTTP " + d.statusCode());
        }
        Map<String, Object> discovery = JSONObjectUtils.parse(d.body());
        int ldapUsers = Integer.parseInt(a.getOrDefault("users", "1000"));
        int flows = Integer.parseInt(a.getOrDefault("flows", "200"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "30"));
        String prefix = Cli.required(a, "ldap-users"); // DOMAIN/user: user0000 .. user0999 are appended
        ScriptedFlow.Setup primary = setup(http, base, discovery, a, Cli.required(a, "primary-user"), Cli.required(a, "primary-password"));
        // One directory user signing in again and again, as the primary user does (its entry in the
        // store's cache, its rows warm on the node), and a different one each time (what a bank sees).
        ScriptedFlow.Setup ldapSame = setup(http, base, discovery, a, prefix + "0000", Cli.required(a, "ldap-password"));

        AtomicInteger next = new AtomicInteger(); // distinct users: none signed in before on this node
        for (String c : a.getOrDefault("concurrency", "1,4").split(",")) {
            int concurrency = Integer.parseInt(c.trim());
            Sample p = new Sample();
            Sample same = new Sample();
            Sample l = new Sample();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                Thread th = new Thread(() -> {
                    int each = (warmup + flows) / concurrency;
                    for (int i = 0; i < each; i++) {
                        boolean measured = i >= warmup / concurrency;
                        String user = String.format("%s%04d", prefix, 1 + next.getAndIncrement() % (ldapUsers - 1));
                        flow(primary, measured ? p : null);
                        flow(ldapSame, measured ? same : null);
                        flow(setup(http, base, discovery, a, user, Cli.required(a, "ldap-password")), measured ? l : null);
                    }
                }, "signin-" + t);
                th.start();
                threads.add(th);
            }
            for (Thread th : threads) {
                th.join();
            }
            System.out.println(p.line("primary", concurrency));
            System.out.println(same.line("ldap-same-user", concurrency));
            System.out.println(l.line("ldap-distinct-users", concurrency));
            for (Sample s : List.of(same, l)) {
                System.out.printf("ADDED %s concurrency=%d p50_ms=%.1f p90_ms=%.1f ratio_p50=%.2f%n",
                        s == same ? "ldap-same-user" : "ldap-distinct-users", concurrency, s.pct(50) - p.pct(50),
                        s.pct(90) - p.pct(90), s.pct(50) / Math.max(0.001, p.pct(50)));
            }
        }
    }

    private static ScriptedFlow.Setup setup(HttpClient http, String base, Map<String, Object> discovery,
            Map<String, String> a, String user, String password) {
        return new ScriptedFlow.Setup(http, base, discovery, false, Cli.required(a, "client-id"), null, Cli.required(a, "client-secret"),
                a.getOrDefault("redirect-uri", "https://tpp.example.test/cb"), "openid accounts", user, password);
    }

    private static void flow(ScriptedFlow.Setup setup, Sample into) {
        ScriptedFlow f = new ScriptedFlow(setup);
        long t0 = System.nanoTime();
        try {
            f.run();
            if (into != null) {
                into.add(f.stepNanos()[ScriptedFlow.Step.LOGIN_POST.ordinal()], System.nanoTime() - t0);
            }
        } catch (Exception e) {
            if (into != null) {
                into.error(setup.username() + ": " + e.getMessage());
            }
        }
    }

    /** Login-POST and whole-flow times of one kind of user. */
    private static final class Sample {
        final List<Long> login = new ArrayList<>();
        final List<Long> whole = new ArrayList<>();
        int errors;
        String firstError;

        synchronized void add(long loginNanos, long flowNanos) {
            login.add(loginNanos);
            whole.add(flowNanos);
        }

        synchronized void error(String message) {
            if (errors++ == 0) {
                firstError = message;
            }
        }

        synchronized double pct(int p) {
            return pct(login, p);
        }

        static double pct(List<Long> values, int p) {
            if (values.isEmpty()) {
                return 0;
            }
            List<Long> s = new ArrayList<>(values);
            Collections.sort(s);
            return s.get(Math.max(0, Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1))) / 1e6;
        }

        synchronized String line(String store, int concurrency) {
            return String.format("SIGNIN store=%s concurrency=%d n=%d p50_ms=%.1f p90_ms=%.1f flow_p50_ms=%.1f errors=%d%s",
                    store, concurrency, login.size(), pct(login, 50), pct(login, 90), pct(whole, 50), errors,
                    firstError == null ? "" : " first_error=" + firstError);
        }
    }
}
