package org.obkm.userstore.ldap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.AuthenticationResult.Outcome;

/** Many sign-ins at once on a small pool: every one answered correctly, none mixed up. */
class LdapConcurrencyTest {

    private static final int THREADS = 16;
    private static final int PER_THREAD = 60;

    @Test
    void sixteenThreadsShareAPoolOfFour() throws Exception {
        try (TestDirectory dir = TestDirectory.plain(); LdapUserStore s = TestDirectory.store(dir.properties())) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            for (int i = 0; i < 200; i++) {
                s.authenticate("user00", "pw-0".toCharArray()); // warm up: JIT, pools
            }
            List<Future<?>> futures = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        int n = (thread + i) % 20;
                        String user = String.format("user%02d", n);
                        boolean right = i % 5 != 0;
                        AuthenticationResult r = s.authenticate(user, (right ? "pw-" + n : "wrong").toCharArray());
                        if (right) {
                            assertEquals(Outcome.OK, r.outcome(), user + ": " + r.message());
                            assertEquals(user, r.user().username());
                            ok.incrementAndGet();
                        } else {
                            assertEquals(Outcome.BAD_CREDENTIALS, r.outcome(), user);
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            assertEquals(THREADS * PER_THREAD * 4 / 5, ok.get());
            assertEquals(THREADS * PER_THREAD / 5, refused.get());
            System.out.printf("LDAP store (in-memory directory, pool of 4): %d authentications in %.2f s = %.0f/s%n",
                    THREADS * PER_THREAD, seconds, THREADS * PER_THREAD / seconds);
        }
    }
}
