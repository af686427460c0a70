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
 * measured in the same minutes as the load. Prints one line for scripts:
 * {@code HASH iterations=N median_ms=.. min_ms=.. parallel_per_s=.. cores=..}; parallel_per_s is the
 * rate with one thread per core, hashing at once.
 *
 * <pre>java -cp benchmarks.jar org.obkm.benchmarks.PasswordHashCost 600000</pre>
 */
public final class PasswordHashCost {

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHashCost() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 600_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        int cores = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < 3; i++) {
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

        // All cores at once: what the ratio's "1 / hash seconds x cores" assumes; shows turbo and SMT effects.
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        int each = Math.max(3, runs / 2);
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
        pool.shutdown();

        System.out.printf("HASH iterations=%d median_ms=%.1f min_ms=%.1f parallel_per_s=%.2f cores=%d runs_ms=%s%n",
                iterations, sorted[runs / 2], sorted[0], parallel, cores,
                Arrays.toString(Arrays.stream(ms).map(Math::rint).toArray()));
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
