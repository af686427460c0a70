package org.obkm.benchmarks;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The cost of one password check on this machine: the JDK's PBKDF2-HMAC-SHA256 with a 16-byte salt and
 * a 256-bit result, the call the primary user store makes ({@code PasswordHasher} in
 * org.obkm.userstore.jdbc), at a given iteration count. The flow benchmark divides by it, so it is
 * measured in the same minutes as the load ({@link FlowLoad} measures it before each run). Prints one line:
 * {@code HASH iterations=N median_ms=.. min_ms=.. parallel_per_s=.. cores=..}; parallel_per_s is the
 * rate with one thread per core, hashing at once.
 *
 * <pre>java -cp benchmarks.jar org.obkm.benchmarks.PasswordHashCost 600000</pre>
 */
public final class PasswordHashCost {

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHashCost() {
    }

    /** One measurement: single-thread median and fastest run, and the rate with every core hashing. */
    record Result(int iterations, double medianMs, double minMs, double parallelPerSecond, int cores, double[] runsMs) {
        String line() {
            return String.format("HASH iterations=%d median_ms=%.1f min_ms=%.1f parallel_per_s=%.2f cores=%d runs_ms=%s",
                    iterations, medianMs, minMs, parallelPerSecond, cores,
                    Arrays.toString(Arrays.stream(runsMs).map(Math::rint).toArray()));
        }
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 600_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        // About 10 hashes run before C2 has compiled HMAC-SHA256; until then one takes 1.6 times as long.
        System.out.println(measure(iterations, runs, 15).line());
    }

    /** {@code warmups} untimed hashes, {@code runs} timed ones on one thread, then all cores at once. */
    static Result measure(int iterations, int runs, int warmups) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < warmups; i++) {
            hash(iterations);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            hash(iterations);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);

        // All cores at once: what the ratio's "1 / hash seconds x cores" assumes; shows a host that cannot
        // give every virtual core a full core.
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        int each = Math.max(2, runs / 2);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < cores; c++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        hash(iterations);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double parallel = cores * each / ((System.nanoTime() - t0) / 1e9);
            return new Result(iterations, sorted[runs / 2], sorted[0], parallel, cores, ms);
        } finally {
            pool.shutdown();
        }
    }

    private static byte[] hash(int iterations) throws GeneralSecurityException {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        PBEKeySpec spec = new PBEKeySpec("correct horse battery staple".toCharArray(), salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
    }
}
