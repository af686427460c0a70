package org.obkm.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;


import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Load driver for complete authorization code flows ({@link ScriptedFlow}): N virtual users, each a
 * thread doing one flow after another for the duration, against one node over verified TLS (the node's
 * own self-signed certificate from its etc/obkm-tls.p12 is the only trust anchor). After an untimed
 * warm-up it runs once per user count and prints, for scripts:
 * <pre>
 * HASH iterations=.. median_ms=.. (with --hash-iterations: one password hash, measured right before the run)
 * RESULT users=2 seconds=30 flows=.. flows_per_s=.. p50_ms=.. p99_ms=.. errors=.. node_cpu_ms_per_flow=..
 *        driver_cpu_ms_per_flow=.. signing_ms_per_flow=.. node_cores=.. driver_cores=.. other_cores=.. hash_ms=..
 * STEPS users=2 PAR=.. AUTHORIZE=.. ... (mean ms per step)
 * </pre>
 * A flow counts when it completes inside the window; the first error messages are printed.
 *
 * <pre>
 * java -cp benchmarks.jar org.obkm.benchmarks.FlowLoad --generate-key key.json   # prints the public JWK Set
 * java -cp benchmarks.jar org.obkm.benchmarks.FlowLoad --base https://localhost:9496 --truststore etc/obkm-tls.p12 \
 *     --client-id ID --client-key key.json --user U --password P --users 2,4,8 --duration 30 [--warmup 10] \
 *     [--profile fapi2-message-signing|fapi2-security-profile|none --client-secret S] [--node-pid PID]
 *     [--hash-iterations 600000]
 * </pre>
 */
public final class FlowLoad {

    private static final int SHOWN_ERRORS = 5;

    private FlowLoad() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Cli.options(argv);
        if (a.containsKey("generate-key")) {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench-" + System.currentTimeMillis())
                    .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
            Files.writeString(Path.of(a.get("generate-key")), key.toJSONString());
            System.out.println(new JWKSet(key.toPublicJWK()));
            return;
        }
        // Every FAPI profile gets the same flow: client assertion, signed request object, DPoP.
        String profile = a.getOrDefault("profile", "fapi2-message-signing");
        boolean fapi2 = !"none".equals(profile);
        HttpClient http = Cli.nodeClient(Path.of(Cli.required(a, "truststore")), a.getOrDefault("storepass", "obkm-generated"));
        String base = Cli.required(a, "base");
        HttpResponse<String> d = http.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (d.statusCode() != 200) {
            throw new IllegalStateException("discovery: HTTP " + d.statusCode() + " " + d.body());
        }
        ScriptedFlow.Setup setup = new ScriptedFlow.Setup(http, base, JSONObjectUtils.parse(d.body()), fapi2,
                Cli.required(a, "client-id"),
                fapi2 ? ECKey.parse(Files.readString(Path.of(Cli.required(a, "client-key")))) : null,
                fapi2 ? null : Cli.required(a, "client-secret"),
                a.getOrDefault("redirect-uri", "https://tpp.example.test/cb"),
                a.getOrDefault("scope", "openid accounts"), Cli.required(a, "user"), Cli.required(a, "password"));
        long nodePid = Long.parseLong(a.getOrDefault("node-pid", "0"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "10"));
        int duration = Integer.parseInt(a.getOrDefault("duration", "30"));
        int hashIterations = Integer.parseInt(a.getOrDefault("hash-iterations", "0"));
        List<Integer> userCounts = Arrays.stream(a.getOrDefault("users", "2,4,8").split(",")).map(String::trim)
                .map(Integer::parseInt).toList();

        System.out.printf("Flows against %s (%s client), warm-up %d s, %d s per run, users %s%n", base,
                fapi2 ? profile + ": private_key_jwt, request object, DPoP" : "none: client_secret_basic", warmup, duration,
                userCounts);
        if (hashIterations > 0) {
            // Until C2 has compiled HMAC-SHA256, a hash takes about 1.6 times as long.
            PasswordHashCost.measure(hashIterations, 1, 15);
        }
        if (warmup > 0) {
            Run w = run(setup, userCounts.get(0), warmup, nodePid);
            System.out.printf("warm-up: %d flows, %d errors%n", w.flows(), w.errors.get());
            w.printErrors();
        }
        for (int users : userCounts) {
            PasswordHashCost.Result hash = null;
            if (hashIterations > 0) {
                // Right before each run: this host's speed drifts by tens of percent within minutes.
                hash = PasswordHashCost.measure(hashIterations, 7, 1);
                System.out.println(hash.line());
            }
            Run r = run(setup, users, duration, nodePid);
            r.print(users, duration, hash);
        }
    }

    /** One measured run: {@code users} threads, each doing flows until the window closes. */
    private static Run run(ScriptedFlow.Setup setup, int users, int seconds, long nodePid) throws Exception {
        Run run = new Run();
        long nodeCpu0 = Cli.processCpuMillis(nodePid);
        long driverCpu0 = Cli.driverCpuMillis();
        long machineCpu0 = machineBusyMillis();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    ScriptedFlow flow = new ScriptedFlow(setup);
                    long t0 = System.nanoTime();
                    try {
                        flow.run();
                        long done = System.nanoTime();
                        if (done <= end) {
                            run.completed(done - t0, flow);
                        }
                    } catch (ScriptedFlow.StepFailed e) {
                        run.failed(e.getMessage());
                        pause();
                    } catch (Exception e) {
                        run.failed("flow: " + e);
                        pause();
                    }
                }
            }, "vu-" + u);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        run.nodeCpuMillis = nodePid > 0 ? Cli.processCpuMillis(nodePid) - nodeCpu0 : -1;
        run.driverCpuMillis = Cli.driverCpuMillis() - driverCpu0;
        run.machineCpuMillis = machineBusyMillis() - machineCpu0;
        return run;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What one run counted; threads add to it concurrently. */
    private static final class Run {
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong[] stepNanos = new AtomicLong[ScriptedFlow.Step.values().length];
        final AtomicLong signingNanos = new AtomicLong();
        final AtomicInteger errors = new AtomicInteger();
        final Map<String, Integer> errorKinds = new ConcurrentHashMap<>();
        long nodeCpuMillis;
        long driverCpuMillis;
        long machineCpuMillis;

        Run() {
            Arrays.setAll(stepNanos, i -> new AtomicLong());
        }

        int flows() {
            return latencies.size();
        }

        void completed(long nanos, ScriptedFlow flow) {
            latencies.add(nanos);
            long[] steps = flow.stepNanos();
            for (int i = 0; i < steps.length; i++) {
                stepNanos[i].addAndGet(steps[i]);
            }
            signingNanos.addAndGet(flow.signingNanos());
        }

        void failed(String message) {
            errors.incrementAndGet();
            errorKinds.merge(message.length() > 400 ? message.substring(0, 400) : message, 1, Integer::sum);
        }

        void print(int users, int seconds, PasswordHashCost.Result hash) {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            int n = sorted.length;
            double perFlow = Math.max(1, n);
            double ms = seconds * 1000.0;
            System.out.printf("RESULT users=%d seconds=%d flows=%d flows_per_s=%.2f p50_ms=%.0f p99_ms=%.0f errors=%d"
                    + " node_cpu_ms_per_flow=%.0f driver_cpu_ms_per_flow=%.1f signing_ms_per_flow=%.2f"
                    + " node_cores=%.2f driver_cores=%.2f other_cores=%.2f hash_ms=%.1f hash_parallel_per_s=%.2f%n",
                    users, seconds, n, n / (double) seconds, percentile(sorted, 50), percentile(sorted, 99),
                    errors.get(), nodeCpuMillis < 0 ? -1 : nodeCpuMillis / perFlow, driverCpuMillis / perFlow,
                    signingNanos.get() / 1e6 / perFlow, nodeCpuMillis / ms, driverCpuMillis / ms,
                    Math.max(0, machineCpuMillis - nodeCpuMillis - driverCpuMillis) / ms,
                    hash == null ? 0 : hash.medianMs(), hash == null ? 0 : hash.parallelPerSecond());
            StringBuilder steps = new StringBuilder("STEPS users=" + users);
            for (ScriptedFlow.Step s : ScriptedFlow.Step.values()) {
                steps.append(String.format(" %s=%.1f", s, stepNanos[s.ordinal()].get() / 1e6 / perFlow));
            }
            System.out.println(steps + "  (mean ms per step)");
            printErrors();
        }

        void printErrors() {
            errorKinds.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(SHOWN_ERRORS).forEach(e -> System.out.println("ERROR x" + e.getValue() + " " + e.getKey()));
        }

        private static double percentile(long[] sorted, int p) {
            if (sorted.length == 0) {
                return 0;
            }
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }
    }

    /** CPU time all processes of the machine used (/proc/stat: everything but idle and iowait), in ms. */
    private static long machineBusyMillis() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * 10;
        } catch (Exception e) {
            return 0;
        }
    }
}
