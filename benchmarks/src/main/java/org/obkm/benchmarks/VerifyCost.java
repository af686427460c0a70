package org.obkm.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

import com.nimbusds.jose.JOSEException;

/**
 * CPU time of one signature check, the JDK's provider against Bouncy Castle's, on a busy machine: the
 * two are measured in alternating batches on one thread, by that thread's CPU time (not the wall
 * clock, which other processes stretch), and the median batch of each is reported with their ratio.
 * The verifiers and tokens are {@link VerifyBenchmark}'s.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.obkm.benchmarks.VerifyCost [rounds] [batch]</pre>
 */
public final class VerifyCost {

    private VerifyCost() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        VerifyBenchmark b = new VerifyBenchmark();
        b.setup();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        String[] names = {"ES256 JDK", "ES256 Bouncy Castle", "PS256 JDK", "PS256 Bouncy Castle"};
        Check[] checks = {b::es256Jdk, b::es256BouncyCastle, b::ps256Jdk, b::ps256BouncyCastle};
        // warm-up: the JIT compiles every path before a batch counts
        for (int r = 0; r < 5; r++) {
            for (Check c : checks) {
                run(c, batch);
            }
        }
        double[][] micros = new double[checks.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < checks.length; i++) {
                long t0 = mx.getCurrentThreadCpuTime();
                run(checks[i], batch);
                micros[i][r] = (mx.getCurrentThreadCpuTime() - t0) / 1000.0 / batch;
            }
        }
        System.out.printf("%s, %d rounds of %d checks, median CPU time per check:%n",
                Runtime.version(), rounds, batch);
        double[] med = new double[checks.length];
        for (int i = 0; i < checks.length; i++) {
            Arrays.sort(micros[i]);
            med[i] = micros[i][rounds / 2];
            System.out.printf("  %-20s %8.1f µs  (p10 %.1f, p90 %.1f)%n", names[i], med[i],
                    micros[i][rounds / 10], micros[i][rounds * 9 / 10]);
        }
        System.out.printf("RESULT java=%s es256_jdk_us=%.1f es256_bc_us=%.1f es256_ratio=%.2f ps256_jdk_us=%.1f ps256_bc_us=%.1f%n",
                Runtime.version().feature(), med[0], med[1], med[0] / med[1], med[2], med[3]);
    }

    private static void run(Check c, int n) throws JOSEException {
        for (int i = 0; i < n; i++) {
            if (!c.verify()) {
                throw new IllegalStateException("refused a valid signature");
            }
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean verify() throws JOSEException;
    }
}
