package org.obkm.userstore.jdbc.internal;

import java.util.Arrays;

/**
 * Prints the cost of one password hash at the default iteration count: 5 runs after a warm-up, the
 * median in ms. Not a test; run by hand:
 * {@code java -cp target/classes:target/test-classes:<slf4j-api> org.obkm.userstore.jdbc.internal.HashCost [iterations]}
 */
public final class HashCost {

    private HashCost() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : JdbcUserStore.RECOMMENDED_ITERATIONS;
        PasswordHasher hasher = new PasswordHasher();
        char[] password = "correct horse battery staple".toCharArray();
        hasher.hash(password, iterations);
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            hasher.hash(password, iterations);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("PBKDF2-HMAC-SHA256, %d iterations: runs %s ms, median %.0f ms (%d cores, %s)%n", iterations,
                Arrays.toString(Arrays.stream(ms).map(Math::rint).toArray()), sorted[2],
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
    }
}
